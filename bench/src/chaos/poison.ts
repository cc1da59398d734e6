/**
 * The poison execution among the chaos run's (issue 18): a JSONata state that aborts the worker process stepping
 * it, whichever worker that is, at every attempt. The workers run with the test-only crash hook
 * (test/support/fatal-on-magic.cjs, preloaded with `--require`): evaluating `$abs(-987654321)` makes V8 abort the
 * process ("Fatal JavaScript invalid size error"). Baton must fail that execution with States.Runtime after a
 * few crashed attempts, and every other execution must still finish exactly.
 */
import type pg from 'pg';
import { repoRoot } from '../common/processes.js';
import type { ChaosApi } from './api-client.js';

/** Node arguments for the worker processes: the crash hook. */
export const CRASH_HOOK_ARGS = ['--require', `${repoRoot}test/support/fatal-on-magic.cjs`];
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

  /** Failed with States.Runtime by Baton's poison-execution guard, and nothing else. */
  async check(pool: pg.Pool): Promise<PoisonVerdict> {
    const r = await pool.query<{ status: string; error: string | null; cause: string | null }>(
      'SELECT status, error, cause FROM executions WHERE arn = $1', [this.executionArn]);
    const row = r.rows[0];
    if (!row) return { status: 'MISSING', error: null, ok: false };
    const ok = row.status === 'FAILED' && row.error === 'States.Runtime' && (row.cause ?? '').startsWith('Baton stopped this execution');
    return { status: row.status, error: row.error, ok };
  }
}
