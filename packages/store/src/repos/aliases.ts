/** State machine aliases: a name routing StartExecution to one or two versions by weight. */
import type { Kysely, Selectable } from 'kysely';
import { json, type DB } from '../schema.js';

export interface AliasRoute {
  version: number;
  weight: number;
}

export interface AliasRow {
  stateMachineArn: string;
  name: string;
  description: string | null;
  routing: AliasRoute[];
  createdAt: Date;
  updatedAt: Date;
}

export class Aliases {
  constructor(private readonly db: Kysely<DB>) {}

  /** False when the name is taken. */
  async insert(r: AliasRow): Promise<boolean> {
    const res = await this.db.insertInto('state_machine_aliases').values({
      state_machine_arn: r.stateMachineArn, name: r.name, description: r.description, routing: json(r.routing),
      created_at: r.createdAt, updated_at: r.updatedAt,
    }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async get(stateMachineArn: string, name: string): Promise<AliasRow | undefined> {
    const r = await this.db.selectFrom('state_machine_aliases').selectAll()
      .where('state_machine_arn', '=', stateMachineArn).where('name', '=', name).executeTakeFirst();
    return r && toRow(r);
  }

  async update(stateMachineArn: string, name: string, p: { description: string | null; routing: AliasRoute[]; updatedAt: Date }): Promise<void> {
    await this.db.updateTable('state_machine_aliases')
      .set({ description: p.description, routing: json(p.routing), updated_at: p.updatedAt })
      .where('state_machine_arn', '=', stateMachineArn).where('name', '=', name).execute();
  }

  async delete(stateMachineArn: string, name: string): Promise<void> {
    await this.db.deleteFrom('state_machine_aliases').where('state_machine_arn', '=', stateMachineArn).where('name', '=', name).execute();
  }

  async deleteAll(stateMachineArn: string): Promise<void> {
    await this.db.deleteFrom('state_machine_aliases').where('state_machine_arn', '=', stateMachineArn).execute();
  }

  /** Oldest first. */
  async list(stateMachineArn: string, page: { offset: number; limit: number }): Promise<AliasRow[]> {
    const rows = await this.db.selectFrom('state_machine_aliases').selectAll().where('state_machine_arn', '=', stateMachineArn)
      .orderBy('created_at').orderBy('name').offset(page.offset).limit(page.limit).execute();
    return rows.map(toRow);
  }

  async count(stateMachineArn: string): Promise<number> {
    const r = await this.db.selectFrom('state_machine_aliases').select((eb) => eb.fn.countAll().as('n'))
      .where('state_machine_arn', '=', stateMachineArn).executeTakeFirst();
    return Number(r?.n ?? 0);
  }
}

function toRow(r: Selectable<DB['state_machine_aliases']>): AliasRow {
  return {
    stateMachineArn: r.state_machine_arn, name: r.name, description: r.description, routing: r.routing,
    createdAt: r.created_at, updatedAt: r.updated_at,
  };
}
