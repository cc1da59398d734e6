/** State machine versions: immutable snapshots of one revision each (the definition stays with the revision). */
import type { Kysely, Selectable } from 'kysely';
import type { DB } from '../schema.js';

export interface VersionRow {
  stateMachineArn: string;
  version: number;
  revision: number;
  description: string | null;
  createdAt: Date;
}

export class Versions {
  constructor(private readonly db: Kysely<DB>) {}

  async insert(r: VersionRow): Promise<void> {
    await this.db.insertInto('state_machine_versions').values({
      state_machine_arn: r.stateMachineArn, version: r.version, revision: r.revision, description: r.description,
      created_at: r.createdAt,
    }).execute();
  }

  async get(stateMachineArn: string, version: number): Promise<VersionRow | undefined> {
    const r = await this.db.selectFrom('state_machine_versions').selectAll()
      .where('state_machine_arn', '=', stateMachineArn).where('version', '=', version).executeTakeFirst();
    return r && toRow(r);
  }

  /** The live version that snapshots this revision, if one was published (and not deleted). */
  async forRevision(stateMachineArn: string, revision: number): Promise<VersionRow | undefined> {
    const r = await this.db.selectFrom('state_machine_versions').selectAll()
      .where('state_machine_arn', '=', stateMachineArn).where('revision', '=', revision).executeTakeFirst();
    return r && toRow(r);
  }

  /** Newest first, as ListStateMachineVersions answers. */
  async list(stateMachineArn: string, page: { offset: number; limit: number }): Promise<VersionRow[]> {
    const rows = await this.db.selectFrom('state_machine_versions').selectAll().where('state_machine_arn', '=', stateMachineArn)
      .orderBy('version', 'desc').offset(page.offset).limit(page.limit).execute();
    return rows.map(toRow);
  }

  async count(stateMachineArn: string): Promise<number> {
    const r = await this.db.selectFrom('state_machine_versions').select((eb) => eb.fn.countAll().as('n'))
      .where('state_machine_arn', '=', stateMachineArn).executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async delete(stateMachineArn: string, version: number): Promise<void> {
    await this.db.deleteFrom('state_machine_versions').where('state_machine_arn', '=', stateMachineArn).where('version', '=', version).execute();
  }

  async deleteAll(stateMachineArn: string): Promise<void> {
    await this.db.deleteFrom('state_machine_versions').where('state_machine_arn', '=', stateMachineArn).execute();
  }
}

function toRow(r: Selectable<DB['state_machine_versions']>): VersionRow {
  return { stateMachineArn: r.state_machine_arn, version: r.version, revision: r.revision, description: r.description, createdAt: r.created_at };
}
