/**
 * The peer: the same 10-step workflow on DBOS Transact, with the same number of processes and the same
 * concurrency per process, on the same Postgres (a database of its own). DBOS runs a workflow's steps in the
 * process that started it, so each process runs its share; throughput is counted over all of them.
 */
import { spawnChild, stopChild, waitForOutput, type Child } from '../common/processes.js';
import { summary } from '../common/stats.js';
import { CHAIN_LENGTH } from './definitions.js';

export interface PeerResult {
  ran: boolean;
  reason?: string;
  executions?: number;
  transitions?: number;
  seconds?: number;
  transitionsPerSecond?: number;
  perTransitionMs?: ReturnType<typeof summary>;
}

export async function runDbos(o: {
  databaseUrl: string; executions: number; workers: number; concurrency: number; steps?: number; lambdaUrl?: string;
  /** Called when the started processes are told to go, and when all have answered (CPU is measured between). */
  phases?: { go(): void; done(): void };
}): Promise<PeerResult> {
  const steps = o.steps ?? CHAIN_LENGTH;
  try {
    await import('@dbos-inc/dbos-sdk');
  } catch (e) {
    return { ran: false, reason: `@dbos-inc/dbos-sdk cannot be loaded: ${(e as Error).message}` };
  }
  const script = new URL('./dbos-worker.js', import.meta.url).pathname;
  const per = Math.ceil(o.executions / o.workers);
  const children: Child[] = [];
  try {
    // One at a time: each launch creates or checks DBOS's system tables.
    for (let w = 0; w < o.workers; w++) {
      const count = Math.min(per, o.executions - w * per);
      const c = spawnChild(`dbos-${w}`, [script], {
        DBOS_URL: o.databaseUrl, COUNT: String(count), OFFSET: String(w * per), CONCURRENCY: String(o.concurrency), STEPS: String(steps),
        ...(o.lambdaUrl !== undefined ? { LAMBDA_URL: o.lambdaUrl } : {}),
      }, { stdout: 'pipe' });
      children.push(c);
      await waitForOutput(c, /"message":"started"/, 60_000);
    }
    const outputs = children.map((c) => new Promise<string>((resolve) => {
      let out = '';
      c.proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      c.proc.stdout!.on('end', () => resolve(out));
    }));
    o.phases?.go();
    for (const c of children) c.proc.stdin!.write('go\n');
    const texts = await Promise.all(outputs);
    o.phases?.done();
    const results = texts.map((text, i) => {
      try {
        return JSON.parse(text.trim().split('\n').pop()!) as { start: number; end: number; count: number; bad: number; gaps: number[] };
      } catch {
        throw new Error(`DBOS process ${i} printed no result:\n${children[i]!.stderr()}`);
      }
    });
    const bad = results.reduce((n, r) => n + r.bad, 0);
    if (bad > 0) return { ran: false, reason: `${bad} DBOS workflows returned a wrong result` };
    const executions = results.reduce((n, r) => n + r.count, 0);
    const seconds = (Math.max(...results.map((r) => r.end)) - Math.min(...results.map((r) => r.start))) / 1000;
    const transitions = executions * steps;
    return {
      ran: true, executions, transitions, seconds: Number(seconds.toFixed(2)), transitionsPerSecond: Math.round(transitions / seconds),
      perTransitionMs: summary(results.flatMap((r) => r.gaps)),
    };
  } catch (e) {
    return { ran: false, reason: (e as Error).message.slice(0, 2000) };
  } finally {
    for (const c of children) await stopChild(c, 'SIGKILL');
  }
}
