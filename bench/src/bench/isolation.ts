/**
 * What the evaluation budgets cost (issue 18): the same steps run through the engine's evaluators, in this
 * thread without budgets (InThreadEvaluator, BATON_EVALUATION_THREADS=0), and with the time and memory budgets in
 * the pool of evaluation processes (PoolEvaluator, the default) and of threads (BATON_EVALUATION_ISOLATION=thread),
 * side by side. Workloads: the 10-state Pass
 * chain and a 10-state JSONata chain (Output and Assign expressions in every state), each execution one step as
 * the transition runner takes it (load -> step -> commit; only the step is measured here, without the database,
 * so the difference is the isolation itself: copying the document to a host and back, the watchdog, the hop).
 * `--isolation-steps N` (default 2000) steps per workload and evaluator, `--isolation-concurrency N` (default 16)
 * at once, as a worker's jobs are. Runs alone with `node bench/dist/src/bench/isolation.js`.
 */
import { availableParallelism } from 'node:os';
import { compileDefinition, defaultContext, newExecution, type JsonObject } from '@baton/asl';
import { DEFAULT_BUDGETS, InThreadEvaluator, safeStep, PoolEvaluator, type Evaluator, type ProgramSource } from '@baton/engine';
import { passChain, CHAIN_LENGTH } from './definitions.js';
import { intFlag, parseFlags } from '../common/args.js';
import { round, summary, table } from '../common/stats.js';
import { inPool } from './baton-runs.js';

export interface IsolationRow {
  workload: string;
  evaluator: string;
  steps: number;
  seconds: number;
  stepsPerSecond: number;
  transitionsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** Ten JSONata Pass states, each computing its output and assigning a variable from the previous ones. */
export function jsonataChain(): object {
  const states: Record<string, object> = {};
  for (let i = 0; i < CHAIN_LENGTH; i++) {
    states[`J${i}`] = {
      Type: 'Pass',
      Assign: { [`v${i}`]: `{% $sum([1..50] ~> $map(function($x) { $x * ${i + 1} })) %}` },
      Output: `{% $merge([$states.input, { "s${i}": $uppercase($join([$string(${i}), "-", $substringAfter("step:${i}", ":")])) }]) %}`,
      ...(i < CHAIN_LENGTH - 1 ? { Next: `J${i + 1}` } : { End: true }),
    };
  }
  return { QueryLanguage: 'JSONata', StartAt: 'J0', States: states };
}

function source(key: string, definition: object): ProgramSource {
  const text = JSON.stringify(definition);
  return { key, definition: text, program: compileDefinition(JSON.parse(text) as JsonObject) };
}

async function measure(workload: string, evaluatorName: string, evaluator: Evaluator, program: ProgramSource, steps: number, concurrency: number): Promise<IsolationRow> {
  const run = async (n: number) => {
    const r = await safeStep(evaluator, {
      program, doc: newExecution(defaultContext(Date.now()), { n }), signals: [{ kind: 'start', input: { n } }], now: Date.now(), maxTransitions: 1000,
    });
    if (r.doc.status !== 'SUCCEEDED') throw new Error(`${workload}: ${r.doc.status} ${r.doc.error ?? ''} ${r.doc.cause ?? ''}`);
  };
  await inPool(Math.min(200, steps), concurrency, run); // warm up: threads started, programs compiled, JIT
  const latencies: number[] = [];
  const t0 = performance.now();
  await inPool(steps, concurrency, async (i) => {
    const s = performance.now();
    await run(i);
    latencies.push(performance.now() - s);
  });
  const seconds = (performance.now() - t0) / 1000;
  const l = summary(latencies);
  return {
    workload, evaluator: evaluatorName, steps, seconds: round(seconds, 2), stepsPerSecond: round(steps / seconds, 0),
    transitionsPerSecond: round((steps * CHAIN_LENGTH) / seconds, 0), p50Ms: l.p50, p99Ms: l.p99,
  };
}

export async function isolationCost(steps: number, concurrency: number): Promise<IsolationRow[]> {
  const rows: IsolationRow[] = [];
  const threads = Math.min(4, availableParallelism());
  for (const [workload, definition] of [['Pass chain', passChain()], ['JSONata chain', jsonataChain()]] as const) {
    const program = source(workload, definition);
    rows.push(await measure(workload, 'in thread, no budgets', new InThreadEvaluator(), program, steps, concurrency));
    for (const isolation of ['process', 'thread'] as const) {
      const pool = new PoolEvaluator({ threads, ...DEFAULT_BUDGETS, isolation });
      try {
        rows.push(await measure(workload, `${threads} ${isolation === 'process' ? 'processes' : 'threads'}, budgets`, pool, program, steps, concurrency));
      } finally {
        await pool.close();
      }
    }
  }
  return rows;
}

export function printIsolation(rows: readonly IsolationRow[]): void {
  console.log(`\nevaluation budgets (issue 18): one step per execution through each evaluator, ${CHAIN_LENGTH} states per step`);
  console.log(table([
    ['workload', 'evaluator', 'steps', 'seconds', 'steps/s', 'transitions/s', 'p50 ms', 'p99 ms'],
    ...rows.map((r) => [r.workload, r.evaluator, r.steps, r.seconds, r.stepsPerSecond, r.transitionsPerSecond, r.p50Ms, r.p99Ms]),
  ]));
  for (const base of rows.filter((r) => r.evaluator.startsWith('in thread'))) {
    for (const r of rows.filter((x) => x.workload === base.workload && x !== base)) {
      console.log(`  ${base.workload}: ${r.evaluator} keep ${Math.round((r.transitionsPerSecond / base.transitionsPerSecond) * 100)}% of the in-thread transitions/s`);
    }
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const flags = parseFlags(process.argv.slice(2));
  isolationCost(intFlag(flags, 'isolation-steps', 2000, 1), intFlag(flags, 'isolation-concurrency', 16, 1)).then((rows) => {
    printIsolation(rows);
    process.exit(0);
  }, (e) => {
    console.error(e);
    process.exit(1);
  });
}
