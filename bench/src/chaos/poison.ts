/**
 * The poison execution among the chaos run's (issue 18): a JSONata state that aborts the process evaluating it at
 * every attempt. The workers run with the test-only crash hook (test/support/fatal-on-magic.cjs, preloaded with
 * `--require` through NODE_OPTIONS, so their evaluation processes have it too): evaluating `$abs(-987654321)`
 * makes V8 abort the process ("Fatal JavaScript invalid size error"). With evaluation processes (the default) that
 * is an evaluation process: no worker may crash, and the state fails with States.QueryEvaluationError naming the
 * memory budget. With evaluation threads (`--isolation thread`) it is the worker itself: Baton must fail the
 * execution with States.Runtime after a few crashed attempts. Either way every other execution must still finish
 * exactly.
 */
import type pg from 'pg';
import { repoRoot } from '../common/processes.js';
import type { ChaosApi } from './api-client.js';

/** Environment of the worker processes: the crash hook, for them and their evaluation processes. */
export const CRASH_HOOK_ENV = { NODE_OPTIONS: `--require ${repoRoot}test/support/fatal-on-magic.cjs` };
export const FATAL_MARK = 'Fatal JavaScript invalid size error';

export interface PoisonVerdict {
  status: string;
  error: string | null;
  ok: boolean;
}

export class Poison {
  private executionArn: string | undefined;

  constructor(private readonly api: ChaosApi) {}

  async start(): Promise<void> {
    const sm = await this.api.call<{ stateMachineArn: string }>('CreateStateMachine', {
      name: 'chaos-poison', roleArn: 'arn:aws:iam::123456789012:role/chaos',
      definition: JSON.stringify({ QueryLanguage: 'JSONata', StartAt: 'Boom', States: { Boom: { Type: 'Pass', Output: '{% $abs(-987654321) %}', End: true } } }),
    });
    if (!sm.ok) throw new Error(`CreateStateMachine (poison): ${sm.code} ${sm.message}`);
    const run = await this.api.call<{ executionArn: string }>('StartExecution', { stateMachineArn: sm.value.stateMachineArn, name: 'poison' });
    if (!run.ok) throw new Error(`StartExecution (poison): ${run.code} ${run.message}`);
    this.executionArn = run.value.executionArn;
  }

  /** Failed as the isolation says (see above), and nothing else. */
  async check(pool: pg.Pool, isolation: 'process' | 'thread'): Promise<PoisonVerdict> {
    const r = await pool.query<{ status: string; error: string | null; cause: string | null }>(
      'SELECT status, error, cause FROM executions WHERE arn = $1', [this.executionArn]);
    const row = r.rows[0];
    if (!row) return { status: 'MISSING', error: null, ok: false };
    const cause = row.cause ?? '';
    const ok = row.status === 'FAILED' && (isolation === 'thread'
      ? row.error === 'States.Runtime' && cause.startsWith('Baton stopped this execution')
      : row.error === 'States.QueryEvaluationError' && cause.includes("the evaluation exceeded Baton's memory budget"));
    return { status: row.status, error: row.error, ok };
  }
}
