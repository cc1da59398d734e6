/**
 * The chaos run's activity workers: `lanes` loops of GetActivityTask -> answer -> SendTaskSuccess/Failure through
 * the API. Every fifth answered token is answered a second time on purpose: the engine must refuse it
 * (a token is completed once); an accepted second answer counts as a duplicated completion.
 */
import type { ChaosApi } from './api-client.js';
import { answer } from './workflow.js';

export class ActivityWorkers {
  answered = 0;
  duplicateAttempts = 0;
  duplicateAccepted = 0;
  lateAnswers = 0;
  /** The error codes of the answers refused (late: TaskTimedOut), by code. */
  readonly lateByCode = new Map<string, number>();
  /** Seconds from GetActivityTask's answer to the API's answer to the first SendTask* call. */
  readonly answerSeconds: number[] = [];
  private stopped = false;
  private readonly abort = new AbortController();
  private loops: Promise<void>[] = [];
  private readonly failedOnce = new Set<string>();

  constructor(private readonly api: ChaosApi, private readonly activityArn: string) {}

  start(lanes: number): void {
    this.loops = Array.from({ length: lanes }, (_, i) => this.lane(`chaos-${i}`));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await Promise.all(this.loops);
  }

  private async lane(workerName: string): Promise<void> {
    let n = 0;
    while (!this.stopped) {
      try {
        const t = await this.api.call<{ taskToken?: string; input?: string }>('GetActivityTask', { activityArn: this.activityArn, workerName }, { signal: this.abort.signal, deadlineMs: 3_600_000 });
        if (!t.ok || !t.value.taskToken) continue;
        const token = t.value.taskToken;
        const a = answer(JSON.parse(t.value.input ?? '{}') as Record<string, unknown>, this.failedOnce);
        const send = () => 'output' in a
          ? this.api.call('SendTaskSuccess', { taskToken: token, output: JSON.stringify(a.output) }, { deadlineMs: 3_600_000 })
          : this.api.call('SendTaskFailure', { taskToken: token, error: a.error, cause: a.cause }, { deadlineMs: 3_600_000 });
        const took = Date.now();
        const first = await send();
        this.answerSeconds.push((Date.now() - took) / 1000);
        if (!first.ok) {
          // TaskTimedOut: the task timed out meanwhile (or a retried call had already been applied).
          this.lateAnswers++;
          this.lateByCode.set(first.code, (this.lateByCode.get(first.code) ?? 0) + 1);
          continue;
        }
        this.answered++;
        if (++n % 5 === 0) {
          this.duplicateAttempts++;
          const again = await send();
          if (again.ok) this.duplicateAccepted++;
        }
      } catch {
        if (this.stopped) return;
      }
    }
  }
}
