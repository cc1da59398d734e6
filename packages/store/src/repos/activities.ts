/** Activities and the activity tasks waiting for a GetActivityTask poller (each handed to exactly one). */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Json } from '@baton/asl';
import { named } from '../prepared.js';
import { jsonOrNull, type DB } from '../schema.js';

export interface ActivityRow {
  arn: string;
  name: string;
  createdAt: Date;
  /** Undefined when the caller does not set it (null: none given). */
  encryptionConfiguration?: Json | null;
}

export interface ActivityTaskRow {
  executionId: string;
  taskId: string;
  activityArn: string;
  input: string;
  /** When its TimeoutSeconds runs out (epoch ms); GetActivityTask skips it from then on. */
  expiresAt?: number;
}

export class Activities {
  constructor(private readonly db: Kysely<DB>) {}

  async insert(r: ActivityRow): Promise<boolean> {
    const res = await this.db.insertInto('activities')
      .values({ arn: r.arn, name: r.name, created_at: r.createdAt, encryption_configuration: jsonOrNull(r.encryptionConfiguration) })
      .onConflict((oc) => oc.doNothing()).executeTakeFirst();
    return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async get(arn: string): Promise<ActivityRow | undefined> {
    const r = await this.db.selectFrom('activities').selectAll().where('arn', '=', arn).executeTakeFirst();
    return r && toRow(r);
  }

  async delete(arn: string): Promise<void> {
    await this.db.deleteFrom('activities').where('arn', '=', arn).execute();
  }

  async list(page: { offset: number; limit: number }): Promise<ActivityRow[]> {
    const rows = await this.db.selectFrom('activities').selectAll().orderBy('created_at').orderBy('arn').offset(page.offset).limit(page.limit).execute();
    return rows.map(toRow);
  }

  async insertTask(r: ActivityTaskRow): Promise<void> {
    await this.db.executeQuery(named('insert_activity_task', this.db.insertInto('activity_tasks')
      .values({
        execution_id: r.executionId, task_id: r.taskId, activity_arn: r.activityArn, input: r.input,
        expires_at: r.expiresAt === undefined ? null : new Date(r.expiresAt),
      }).onConflict((oc) => oc.doNothing()).compile()));
  }

  async deleteTask(executionId: string, taskId: string): Promise<void> {
    await this.db.deleteFrom('activity_tasks').where('execution_id', '=', executionId).where('task_id', '=', taskId).execute();
  }

  /** Deletes one task not yet handed to a poller; false when there was none (taken, or never scheduled). */
  async removeTask(executionId: string, taskId: string): Promise<boolean> {
    const res = await this.db.deleteFrom('activity_tasks').where('execution_id', '=', executionId).where('task_id', '=', taskId)
      .executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  async deleteTasks(executionId: string): Promise<void> {
    await this.db.deleteFrom('activity_tasks').where('execution_id', '=', executionId).execute();
  }

  /**
   * Takes the oldest task of the activity that has not expired at `now` (epoch ms; SKIP LOCKED: never one another
   * transaction is taking), and says whether others are left (counting those other transactions are taking: it may
   * say so wrongly, never miss one). With `mustExist`, takes nothing and answers 'noSuchActivity' unless the
   * activity exists (checked in the same statement: GetActivityTask's first look costs one round trip).
   */
  async takeTask(activityArn: string, now: number, mustExist = false): Promise<(ActivityTaskRow & { more: boolean }) | 'noSuchActivity' | undefined> {
    const at = new Date(now);
    const r = await this.db.executeQuery(named('take_activity_task', sql<{ known: boolean; execution_id: string | null; task_id: string; activity_arn: string; input: string; more: boolean }>`
      WITH known AS (
        SELECT NOT ${mustExist} OR EXISTS (SELECT 1 FROM activities WHERE arn = ${activityArn}) AS known
      ), taken AS (
        DELETE FROM activity_tasks a USING (
          SELECT execution_id, task_id FROM activity_tasks
          WHERE activity_arn = ${activityArn} AND (expires_at IS NULL OR expires_at > ${at}) AND (SELECT known FROM known)
          ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED
        ) next
        WHERE a.execution_id = next.execution_id AND a.task_id = next.task_id
        RETURNING a.execution_id, a.task_id, a.activity_arn, a.input
      )
      SELECT known.known, taken.*, taken.execution_id IS NOT NULL AND EXISTS (
        SELECT 1 FROM activity_tasks o WHERE o.activity_arn = ${activityArn} AND (o.expires_at IS NULL OR o.expires_at > ${at})
          AND (o.execution_id, o.task_id) <> (taken.execution_id, taken.task_id)
      ) AS more
      FROM known LEFT JOIN taken ON true`.compile(this.db)));
    const row = r.rows[0]!;
    if (!row.known) return 'noSuchActivity';
    if (row.execution_id === null) return undefined;
    return { executionId: String(row.execution_id), taskId: row.task_id, activityArn: row.activity_arn, input: row.input, more: row.more };
  }
}

function toRow(r: Selectable<DB['activities']>): ActivityRow {
  return { arn: r.arn, name: r.name, createdAt: r.created_at, encryptionConfiguration: (r.encryption_configuration ?? null) as Json | null };
}
