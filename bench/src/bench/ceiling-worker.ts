/**
 * One process of the ceiling pipeline: no engine, no interpreter. Each job is one step of a 10-step execution:
 * load the row, then one Postgres transaction of the engine's shape (update the execution row under a
 * compare-and-set on its version, insert the step's history events), then one BullMQ hop to the next step.
 * With LAMBDA_URL each step is a Task instead: one call to the wire-level Lambda before the transaction
 * (the least a durable Task can cost: the call, one commit of its outcome, one hop).
 *   env: DATABASE_URL, REDIS_URL, CEILING_PREFIX, CONCURRENCY, CEILING_TABLE (default ceiling), STEPS (default 10), LAMBDA_URL
 */
import { Worker, Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';
import { CHAIN_LENGTH } from './definitions.js';
import { invokeLambda } from './lambda-server.js';

const concurrency = Number(process.env.CONCURRENCY ?? 16);
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: concurrency + 2, application_name: 'baton-bench-ceiling' });
const connection = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
const prefix = process.env.CEILING_PREFIX!;
const table = process.env.CEILING_TABLE ?? 'ceiling';
const steps = Number(process.env.STEPS ?? CHAIN_LENGTH);
const lambdaUrl = process.env.LAMBDA_URL;
const queue = new Queue(table, { connection, prefix });

async function stepOnce(id: string, step: number): Promise<void> {
  const now = Date.now();
  const row = await pool.query<{ doc: Record<string, unknown>; version: number }>(`SELECT doc, version FROM ${table}_executions WHERE id = $1`, [id]);
  const { doc, version } = row.rows[0]!;
  const name = `S${step}`;
  const last = step === steps - 1;
  const result = lambdaUrl !== undefined ? await invokeLambda(lambdaUrl, step) : { step };
  const nextDoc = { ...doc, state: last ? null : `S${step + 1}`, data: { ...(doc.data as object), [`s${step}`]: result } };
  const events: [number, string, object][] = [];
  let id0 = step === 0 ? 1 : 2 * step + 2;
  if (step === 0) events.push([id0++, 'ExecutionStarted', { executionStartedEventDetails: { input: '{}' } }]);
  events.push([id0++, 'PassStateEntered', { stateEnteredEventDetails: { name, input: JSON.stringify(doc.data) } }]);
  events.push([id0++, 'PassStateExited', { stateExitedEventDetails: { name, output: JSON.stringify(nextDoc.data) } }]);
  if (last) events.push([id0++, 'ExecutionSucceeded', { executionSucceededEventDetails: { output: JSON.stringify(nextDoc.data) } }]);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const u = await client.query(
      `UPDATE ${table}_executions SET doc = $2, status = $3, version = version + 1, stop_date = $4 WHERE id = $1 AND version = $5`,
      [id, JSON.stringify(nextDoc), last ? 'SUCCEEDED' : 'RUNNING', last ? new Date(now) : null, version],
    );
    if (u.rowCount !== 1) throw new Error(`ceiling: lost the compare-and-set on ${id}`);
    const values: unknown[] = [];
    const tuples = events.map(([eid, type, details], i) => {
      values.push(id, eid, eid - 1, type, new Date(now), JSON.stringify(details));
      const b = i * 6;
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6})`;
    });
    await client.query(`INSERT INTO ${table}_events (execution_id, event_id, previous_event_id, type, "timestamp", details) VALUES ${tuples.join(', ')}`, values);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
  if (!last) await queue.add('step', { id, step: step + 1 }, { jobId: `c-${id}-${step + 1}`, removeOnComplete: true, removeOnFail: true });
}

const worker = new Worker(table, async (job) => stepOnce(String(job.data.id), Number(job.data.step)), { connection, prefix, concurrency });
worker.on('failed', (_j, e) => process.stderr.write(`ceiling step failed: ${e.message}\n`));
await worker.waitUntilReady();
process.stderr.write('{"message":"started"}\n');
process.once('SIGTERM', () => {
  void (async () => {
    await worker.close();
    await queue.close();
    connection.disconnect();
    await pool.end();
    process.exit(0);
  })();
});
