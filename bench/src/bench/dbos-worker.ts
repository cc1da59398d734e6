/**
 * One process of the DBOS Transact peer: the same 10-step chain as a DBOS workflow of 10 steps (each step
 * checkpointed in Postgres by DBOS), run COUNT times with at most CONCURRENCY workflows at once. Waits for a
 * "go" line on stdin, then prints one JSON line with its start/end times and the gaps between steps.
 * With LAMBDA_URL each step calls the bench's wire-level Lambda (the Task chain's peer); STEPS sets the length.
 *   env: DBOS_URL, COUNT, OFFSET, CONCURRENCY, STEPS (default 10), LAMBDA_URL
 */
import { createInterface } from 'node:readline';
import { DBOS } from '@dbos-inc/dbos-sdk';
import { CHAIN_LENGTH } from './definitions.js';
import { invokeLambda } from './lambda-server.js';

const count = Number(process.env.COUNT);
const offset = Number(process.env.OFFSET ?? 0);
const concurrency = Number(process.env.CONCURRENCY ?? 16);
const gaps: number[] = [];
const steps = Number(process.env.STEPS ?? CHAIN_LENGTH);
const lambdaUrl = process.env.LAMBDA_URL;

async function chain(i: number): Promise<Record<string, unknown>> {
  let x: Record<string, unknown> = { i };
  let t = Date.now();
  for (let s = 0; s < steps; s++) {
    const before = x;
    x = await DBOS.runStep(async () => ({ ...before, [`s${s}`]: { step: lambdaUrl !== undefined ? await invokeLambda(lambdaUrl, s) : s } }), { name: `S${s}` });
    const now = Date.now();
    gaps.push(now - t);
    t = now;
  }
  return x;
}

const workflow = DBOS.registerWorkflow(chain, { name: 'chain' });
DBOS.setConfig({ name: 'baton-bench', systemDatabaseUrl: process.env.DBOS_URL!, logLevel: 'error', systemDatabasePoolSize: concurrency + 4 });
await DBOS.launch();
process.stderr.write('{"message":"started"}\n');
const rl = createInterface({ input: process.stdin });
await new Promise<void>((resolve) => rl.once('line', () => resolve()));
const start = Date.now();
let next = 0;
let bad = 0;
async function lane(): Promise<void> {
  while (next < count) {
    const i = offset + next++;
    const handle = await DBOS.startWorkflow(workflow, { workflowID: `chain-${i}` })(i);
    const out = await handle.getResult();
    if ((out[`s${steps - 1}`] as { step?: number } | undefined)?.step !== steps - 1) bad++;
  }
}
await Promise.all(Array.from({ length: concurrency }, lane));
const end = Date.now();
process.stdout.write(JSON.stringify({ start, end, count, bad, gaps }) + '\n');
rl.close();
await DBOS.shutdown();
process.exit(0);
