/**
 * Task invocations: `scheduled` (a worker may claim it), `running` (claimed under a lease that expires if the
 * worker vanishes), `polling` (a `.sync` task waiting for its next poll timer). The row is deleted with the outcome.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Json, ScheduleTaskCommand } from '@baton/asl';
import { named } from '../prepared.js';
import { json, type DB } from '../schema.js';

export interface TaskRow {
  executionId: string;
  taskId: string;
  status: 'scheduled' | 'running' | 'polling';
  request: ScheduleTaskCommand;
  started: boolean;
  claims: number;
  leaseOwner: string | null;
  leaseExpiresAt: Date | null;
  pollState: Json | null;
  pollCount: number;
}

export class Tasks {
  constructor(private readonly db: Kysely<DB>) {}

  /** `claimedBy`: inserted already claimed (running under that owner's lease), for a worker that runs it at once. */
  async insert(executionId: string, request: ScheduleTaskCommand, claimedBy?: { owner: string; leaseUntil: Date }): Promise<void> {
    await this.db.insertInto('tasks').values({
      execution_id: executionId, task_id: request.taskId, request: json(request),
      ...(claimedBy
        ? { status: 'running', lease_owner: claimedBy.owner, lease_expires_at: claimedBy.leaseUntil, claims: 1 }
        : { status: 'scheduled' }),
    }).onConflict((oc) => oc.doNothing()).execute();
  }

  async get(executionId: string, taskId: string): Promise<TaskRow | undefined> {
    const { rows: [r] } = await this.db.executeQuery(named('get_task', this.db.selectFrom('tasks').select(TASK_COLUMNS)
      .where('execution_id', '=', executionId).where('task_id', '=', taskId).compile()));
    return r && toRow(r);
  }

  async delete(executionId: string, taskId: string): Promise<void> {
    await this.db.deleteFrom('tasks').where('execution_id', '=', executionId).where('task_id', '=', taskId).execute();
  }

  async deleteAll(executionId: string): Promise<void> {
    await this.db.deleteFrom('tasks').where('execution_id', '=', executionId).execute();
  }

  async claim(executionId: string, taskId: string, owner: string, leaseUntil: Date): Promise<TaskRow | undefined> {
    const r = await this.db.updateTable('tasks')
      .set({ status: 'running', lease_owner: owner, lease_expires_at: leaseUntil, claims: sql`claims + 1`, updated_at: sql`now()` })
      .where('execution_id', '=', executionId).where('task_id', '=', taskId).where('status', '=', 'scheduled')
      .returningAll().executeTakeFirst();
    return r && toRow(r);
  }

  async renewLease(executionId: string, taskId: string, owner: string, leaseUntil: Date): Promise<boolean> {
    const res = await this.db.updateTable('tasks').set({ lease_expires_at: leaseUntil })
      .where('execution_id', '=', executionId).where('task_id', '=', taskId).where('status', '=', 'running').where('lease_owner', '=', owner)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  async complete(executionId: string, taskId: string, owner: string): Promise<boolean> {
    const res = await this.db.deleteFrom('tasks')
      .where('execution_id', '=', executionId).where('task_id', '=', taskId).where('status', '=', 'running').where('lease_owner', '=', owner)
      .executeTakeFirst();
    return Number(res.numDeletedRows) === 1;
  }

  async park(executionId: string, taskId: string, owner: string, pollState: Json): Promise<boolean> {
    const res = await this.db.updateTable('tasks')
      .set({ status: 'polling', poll_state: json(pollState), started: true, lease_owner: null, lease_expires_at: null, updated_at: sql`now()` })
      .where('execution_id', '=', executionId).where('task_id', '=', taskId).where('status', '=', 'running').where('lease_owner', '=', owner)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  async wake(executionId: string, taskId: string): Promise<number | undefined> {
    const r = await this.db.updateTable('tasks').set({ status: 'scheduled', poll_count: sql`poll_count + 1`, updated_at: sql`now()` })
      .where('execution_id', '=', executionId).where('task_id', '=', taskId).where('status', '=', 'polling')
      .returning('poll_count').executeTakeFirst();
    return r?.poll_count;
  }

  async release(executionId: string, taskId: string, owner: string): Promise<boolean> {
    const res = await this.db.updateTable('tasks').set({ status: 'scheduled', lease_owner: null, lease_expires_at: null, updated_at: sql`now()` })
      .where('execution_id', '=', executionId).where('task_id', '=', taskId).where('status', '=', 'running').where('lease_owner', '=', owner)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  async takeExpired(now: Date, limit: number): Promise<TaskRow[]> {
    const r = await sql<Selectable<DB['tasks']>>`
      DELETE FROM tasks t USING (
        SELECT execution_id, task_id FROM tasks WHERE status = 'running' AND lease_expires_at < ${now}
        LIMIT ${limit} FOR UPDATE SKIP LOCKED
      ) gone
      WHERE t.execution_id = gone.execution_id AND t.task_id = gone.task_id
      RETURNING t.*`.execute(this.db);
    return r.rows.map(toRow);
  }

  async stale(before: Date, limit: number): Promise<{ executionId: string; taskId: string; pollCount: number }[]> {
    const rows = await this.db.selectFrom('tasks').select(['execution_id', 'task_id', 'poll_count'])
      .where('status', '=', 'scheduled').where('updated_at', '<', before).limit(limit).execute();
    return rows.map((r) => ({ executionId: String(r.execution_id), taskId: r.task_id, pollCount: r.poll_count }));
  }
}

/** What toRow reads, named (a named statement must not select `*`: prepared.ts). */
const TASK_COLUMNS = ['execution_id', 'task_id', 'status', 'request', 'started', 'claims', 'lease_owner', 'lease_expires_at', 'poll_state', 'poll_count'] as const;

function toRow(r: Pick<Selectable<DB['tasks']>, (typeof TASK_COLUMNS)[number]>): TaskRow {
  return {
    executionId: String(r.execution_id), taskId: r.task_id, status: r.status as TaskRow['status'],
    request: r.request as ScheduleTaskCommand, started: r.started, claims: r.claims, leaseOwner: r.lease_owner,
    leaseExpiresAt: r.lease_expires_at ? new Date(r.lease_expires_at) : null, pollState: (r.poll_state ?? null) as Json | null,
    pollCount: r.poll_count,
  };
}
