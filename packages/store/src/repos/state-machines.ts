/** State machines and their revisions (a running execution keeps the definition it started with). */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Json } from '@baton/asl';
import { named } from '../prepared.js';
import { jsonOrNull, type DB } from '../schema.js';

export interface StateMachineRow {
  arn: string;
  name: string;
  type: 'STANDARD' | 'EXPRESS';
  status: string;
  definition: string;
  roleArn: string;
  revision: number;
  /** Null for a state machine's first revision (AWS shows no revision id until the first update). */
  revisionId: string | null;
  loggingConfiguration: Json | null;
  tracingConfiguration: Json | null;
  encryptionConfiguration: Json | null;
  createdAt: Date;
  updatedAt: Date;
  /** The number the next published version gets (numbers are never reused). */
  nextVersion: number;
  createdWithPublish: boolean;
  createdVersionDescription: string | null;
}

export interface RevisionRow {
  stateMachineArn: string;
  revision: number;
  revisionId: string | null;
  definition: string;
  roleArn: string;
  loggingConfiguration: Json | null;
  tracingConfiguration: Json | null;
  encryptionConfiguration: Json | null;
  createdAt: Date;
}

export class StateMachines {
  constructor(private readonly db: Kysely<DB>) {}

  async insert(r: StateMachineRow): Promise<boolean> {
    const res = await this.db
      .insertInto('state_machines')
      .values({
        arn: r.arn, name: r.name, type: r.type, status: r.status, definition: r.definition, role_arn: r.roleArn,
        revision: r.revision, revision_id: r.revisionId, logging_configuration: jsonOrNull(r.loggingConfiguration),
        tracing_configuration: jsonOrNull(r.tracingConfiguration), created_at: r.createdAt, updated_at: r.updatedAt,
        encryption_configuration: jsonOrNull(r.encryptionConfiguration), next_version: r.nextVersion,
        created_with_publish: r.createdWithPublish, created_version_description: r.createdVersionDescription,
      })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async get(arn: string): Promise<StateMachineRow | undefined> {
    const row = await this.db.selectFrom('state_machines').selectAll().where('arn', '=', arn).executeTakeFirst();
    return row && toRow(row);
  }

  /**
   * The machines of these ARNs that exist, in one statement (StartExecution's group commit reads a batch's). Named
   * (prepared.ts): it runs for every batch of starts, and its text does not vary with their number (an array).
   */
  async getMany(arns: readonly string[]): Promise<StateMachineRow[]> {
    if (arns.length === 0) return [];
    const { rows } = await this.db.executeQuery(named('state_machines_by_arn', this.db.selectFrom('state_machines').select(COLUMNS)
      .where('arn', '=', sql<string>`any(${[...arns]}::text[])`).compile()));
    return rows.map(toRow);
  }

  /** The row, locked until the caller's transaction ends (publishes and updates of one machine queue up). */
  async getForUpdate(arn: string): Promise<StateMachineRow | undefined> {
    const row = await this.db.selectFrom('state_machines').selectAll().where('arn', '=', arn).forUpdate().executeTakeFirst();
    return row && toRow(row);
  }

  /** The highest revision ever stored under this ARN (a deleted machine's revisions stay for its executions). */
  async lastRevision(arn: string): Promise<number> {
    const r = await this.db.selectFrom('state_machine_revisions').select((eb) => eb.fn.max('revision').as('n'))
      .where('state_machine_arn', '=', arn).executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async update(arn: string, p: Partial<Omit<StateMachineRow, 'arn' | 'name' | 'type' | 'createdAt'>>): Promise<void> {
    const set: Record<string, unknown> = {};
    if (p.status !== undefined) set.status = p.status;
    if (p.definition !== undefined) set.definition = p.definition;
    if (p.roleArn !== undefined) set.role_arn = p.roleArn;
    if (p.revision !== undefined) set.revision = p.revision;
    if (p.revisionId !== undefined) set.revision_id = p.revisionId;
    if (p.loggingConfiguration !== undefined) set.logging_configuration = jsonOrNull(p.loggingConfiguration);
    if (p.tracingConfiguration !== undefined) set.tracing_configuration = jsonOrNull(p.tracingConfiguration);
    if (p.encryptionConfiguration !== undefined) set.encryption_configuration = jsonOrNull(p.encryptionConfiguration);
    if (p.nextVersion !== undefined) set.next_version = p.nextVersion;
    if (p.updatedAt !== undefined) set.updated_at = p.updatedAt;
    if (Object.keys(set).length === 0) return;
    await this.db.updateTable('state_machines').set(set).where('arn', '=', arn).execute();
  }

  async delete(arn: string): Promise<void> {
    await this.db.deleteFrom('state_machines').where('arn', '=', arn).execute();
  }

  async list(page: { offset: number; limit: number }): Promise<StateMachineRow[]> {
    const rows = await this.db.selectFrom('state_machines').selectAll().orderBy('created_at').orderBy('arn')
      .offset(page.offset).limit(page.limit).execute();
    return rows.map(toRow);
  }

  async insertRevision(r: RevisionRow): Promise<void> {
    await this.db.insertInto('state_machine_revisions').values({
      state_machine_arn: r.stateMachineArn, revision: r.revision, revision_id: r.revisionId, definition: r.definition,
      role_arn: r.roleArn, logging_configuration: jsonOrNull(r.loggingConfiguration),
      tracing_configuration: jsonOrNull(r.tracingConfiguration), created_at: r.createdAt,
      encryption_configuration: jsonOrNull(r.encryptionConfiguration),
    }).execute();
  }

  async getRevision(stateMachineArn: string, revision: number): Promise<RevisionRow | undefined> {
    const r = await this.db.selectFrom('state_machine_revisions').selectAll()
      .where('state_machine_arn', '=', stateMachineArn).where('revision', '=', revision).executeTakeFirst();
    return r && {
      stateMachineArn: r.state_machine_arn, revision: r.revision, revisionId: r.revision_id, definition: r.definition,
      roleArn: r.role_arn, loggingConfiguration: (r.logging_configuration ?? null) as Json | null,
      tracingConfiguration: (r.tracing_configuration ?? null) as Json | null, createdAt: r.created_at,
      encryptionConfiguration: (r.encryption_configuration ?? null) as Json | null,
    };
  }
}

/** Every column, named (a prepared statement's result type must not change when a migration adds one). */
const COLUMNS = [
  'arn', 'name', 'type', 'status', 'definition', 'role_arn', 'revision', 'revision_id', 'logging_configuration', 'tracing_configuration',
  'created_at', 'updated_at', 'encryption_configuration', 'next_version', 'created_with_publish', 'created_version_description',
] as const satisfies readonly (keyof DB['state_machines'])[];

function toRow(r: Pick<Selectable<DB['state_machines']>, (typeof COLUMNS)[number]>): StateMachineRow {
  return {
    arn: r.arn, name: r.name, type: r.type as StateMachineRow['type'], status: r.status, definition: r.definition,
    roleArn: r.role_arn, revision: r.revision, revisionId: r.revision_id,
    loggingConfiguration: (r.logging_configuration ?? null) as Json | null,
    tracingConfiguration: (r.tracing_configuration ?? null) as Json | null, createdAt: r.created_at, updatedAt: r.updated_at,
    encryptionConfiguration: (r.encryption_configuration ?? null) as Json | null, nextVersion: r.next_version,
    createdWithPublish: r.created_with_publish, createdVersionDescription: r.created_version_description,
  };
}
