/**
 * `ActivityWorker`: serves one activity. `concurrency` slots each loop over GetActivityTask (a long poll of up to
 * 60 s) and run the task they get, so at most `concurrency` handlers run at once and an idle slot always has a poll
 * open. `stop()` aborts the polls, lets tasks in flight finish and report (aborting their `signal` once
 * `shutdownGraceMs` has passed), and resolves when all is done; `start()` resolves at the same moment.
 *
 * A poll that fails (network, throttling, a missing activity) is logged and retried after a growing pause; nothing a
 * poll or a handler does rejects `start()` or crashes the process.
 *
 * Aborting a poll on stop closes its connection; Baton (and AWS) then stop looking for a task for it. A task handed
 * out in the instant the connection closes can still be lost to this worker; it then ends by its state's timeout
 * (HeartbeatSeconds / TimeoutSeconds), which is why activity states should set one.
 */
import { GetActivityTaskCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { inputCheck } from './input-validation.js';
import { errorCode } from './heartbeats.js';
import { NamedError, WorkerErrors } from './report.js';
import { runTask, type TaskRun } from './run-task.js';
import { connect } from './task-tokens.js';
import { resolveOptions, type ActivityWorkerOptions, type ResolvedOptions } from './worker-options.js';

/** Pauses after failed polls: from the first to the cap, doubling, with jitter so that workers do not poll in step. */
const POLL_BACKOFF_FIRST_MS = 200;
const POLL_BACKOFF_CAP_MS = 20_000;
/** GetActivityTask holds the request for up to 60 s; a socket silent for longer than this is dead. */
const POLL_SOCKET_TIMEOUT_MS = 70_000;

type State = 'new' | 'running' | 'stopping' | 'stopped';

export class ActivityWorker<I = unknown, O = unknown> {
  private readonly options: ResolvedOptions<I, O>;
  private readonly client: SFNClient;
  private readonly ownsClient: boolean;
  private readonly run: TaskRun<I, O>;
  private state: State = 'new';
  private readonly polls = new AbortController();
  private readonly inFlight = new Set<AbortController>();
  private graceOver = false;
  private graceTimer: NodeJS.Timeout | undefined;
  private lanes: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private readonly done: Promise<void>;
  private resolveDone!: () => void;
  private readonly onSignal = (): void => {
    if (this.state === 'running') void this.stop();
    else if (this.state === 'stopping') this.endGrace();
  };

  constructor(options: ActivityWorkerOptions<I, O>) {
    this.options = resolveOptions(options);
    ({ client: this.client, owned: this.ownsClient } = connect(options, 'ActivityWorker'));
    this.run = { client: this.client, options: this.options, check: inputCheck(this.options.inputSchema, this.options.validate) };
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
  }

  /** Starts polling and running tasks. The promise resolves when the worker has stopped (see `stop()`). */
  start(): Promise<void> {
    if (this.state !== 'new') throw new Error(`ActivityWorker: start() can be called once (the worker is ${this.state})`);
    this.state = 'running';
    for (const signal of this.options.shutdownSignals) process.on(signal, this.onSignal);
    this.lanes = Promise.all(Array.from({ length: this.options.concurrency }, () => this.lane())).then(() => undefined);
    return this.done;
  }

  /**
   * Stops polling, lets the tasks in flight finish and report (their `signal` aborts after `shutdownGraceMs`),
   * releases the client if the worker created it, and resolves. Calling it again returns the same promise.
   */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    if (this.state === 'new') {
      this.state = 'stopped';
      if (this.ownsClient) this.client.destroy();
      this.resolveDone();
      return;
    }
    this.state = 'stopping';
    this.polls.abort();
    this.graceTimer = setTimeout(() => this.endGrace(), this.options.shutdownGraceMs);
    await this.lanes;
    clearTimeout(this.graceTimer);
    for (const signal of this.options.shutdownSignals) process.off(signal, this.onSignal);
    if (this.ownsClient) this.client.destroy();
    this.state = 'stopped';
    this.resolveDone();
  }

  private endGrace(): void {
    this.graceOver = true;
    clearTimeout(this.graceTimer);
    for (const controller of this.inFlight) controller.abort(this.stoppedReason());
  }

  private stoppedReason(): Error {
    return new NamedError(WorkerErrors.workerStopped, `The worker is stopping and its shutdown grace (${this.options.shutdownGraceMs} ms) has passed.`);
  }

  /** One slot: poll, run what comes, again, until the worker stops. */
  private async lane(): Promise<void> {
    let failures = 0;
    while (this.state === 'running') {
      let task: { taskToken?: string | undefined; input?: string | undefined };
      try {
        task = await this.client.send(
          new GetActivityTaskCommand({ activityArn: this.options.activityArn, workerName: this.options.workerName }),
          { abortSignal: this.polls.signal as never, requestTimeout: POLL_SOCKET_TIMEOUT_MS },
        );
        failures = 0;
      } catch (e) {
        if (this.state !== 'running') break;
        failures++;
        const pause = backoff(failures);
        this.options.logger.warn(`GetActivityTask failed (${errorCode(e)}: ${(e as Error)?.message}); polling again in ${pause} ms`, {
          activityArn: this.options.activityArn,
        });
        await sleep(pause, this.polls.signal);
        continue;
      }
      // A task that arrives as the worker stops was taken for this worker: it runs all the same.
      if (task.taskToken) await this.runOne(task.taskToken, task.input ?? 'null');
    }
  }

  private async runOne(taskToken: string, input: string): Promise<void> {
    const controller = new AbortController();
    this.inFlight.add(controller);
    if (this.graceOver) controller.abort(this.stoppedReason());
    try {
      await runTask(this.run, taskToken, input, controller);
    } catch (e) {
      // runTask reports every failure itself; reaching here is a bug, which must not end the slot.
      this.options.logger.error(`unexpected error while running a task: ${(e as Error)?.stack ?? String(e)}`);
    } finally {
      this.inFlight.delete(controller);
    }
  }
}

/** The pause after `failures` failed polls in a row: doubling from the first to the cap, half of it random. */
function backoff(failures: number): number {
  const ceiling = Math.min(POLL_BACKOFF_CAP_MS, POLL_BACKOFF_FIRST_MS * 2 ** Math.min(failures - 1, 20));
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
