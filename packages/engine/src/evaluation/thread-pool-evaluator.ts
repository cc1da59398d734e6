/**
 * Runs steps in a small pool of worker threads (node:worker_threads), so that no evaluation can stall the event
 * loop that serves the API and the other executions, and each runs under the budgets:
 * - memory: each thread's heap is capped (`resourceLimits`); a thread that runs out is ended by V8 and replaced;
 * - time: a watchdog here reads the number of the evaluation in progress from memory shared with the thread; when
 *   it has not moved for the time budget, the thread is terminated and replaced.
 * Either way the step comes back `failed` with that evaluation's number (safe-step.ts fails its state). A thread
 * compiles each program once and keeps it by key; the pool sends a definition only to a thread that lacks it.
 * Idle threads do not keep the process alive.
 */
import { Worker } from 'node:worker_threads';
import type { EvaluationBudgets, Evaluator, FailureReason, StepOutcome, StepRequest, TestStateCall, TestStateOutcome } from './evaluator.js';
import type { ThreadMessage, ThreadReply, ThreadRequest, ThreadTestStateReply } from './thread-protocol.js';

export interface ThreadPoolOptions extends EvaluationBudgets {
  threads: number;
}

/** The compiled thread script; from the sources (vitest) the build's copy runs, as Node 20 cannot run TypeScript. */
function threadScript(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL('../../dist/evaluation/step-thread.js', here) : new URL('./step-thread.js', here);
}

/** The marker's value until the thread begins the step it was sent. */
const NOT_STARTED = -1;

/** A job waiting for an idle thread: it runs there and settles its own promise. */
type Waiting = (thread: EvaluationThread) => Promise<void>;

export class ThreadPoolEvaluator implements Evaluator {
  readonly budgets: EvaluationBudgets;
  private readonly idle: EvaluationThread[];
  private readonly all: EvaluationThread[];
  private readonly waiting: Waiting[] = [];
  private closed = false;

  constructor(options: ThreadPoolOptions) {
    this.budgets = { timeoutMs: options.timeoutMs, memoryMb: options.memoryMb };
    this.all = Array.from({ length: Math.max(1, options.threads) }, () => new EvaluationThread(this.budgets));
    this.idle = [...this.all];
  }

  /** Threads replaced so far because a step went over a budget or crashed one (for tests and telemetry). */
  get replacedThreads(): number {
    return this.all.reduce((n, t) => n + t.replaced, 0);
  }

  step(request: StepRequest): Promise<StepOutcome> {
    return this.enqueue((thread) => thread.run(request));
  }

  testState(call: TestStateCall): Promise<TestStateOutcome> {
    return this.enqueue((thread) => thread.runTestState(call));
  }

  private enqueue<T>(job: (thread: EvaluationThread) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the evaluator is closed'));
    return new Promise((resolve) => {
      this.waiting.push((thread) => job(thread).then(resolve));
      this.pump();
    });
  }

  private pump(): void {
    while (this.idle.length > 0 && this.waiting.length > 0) {
      const thread = this.idle.pop()!;
      const job = this.waiting.shift()!;
      void job(thread).then(() => {
        this.idle.push(thread);
        this.pump();
      });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.all.map((t) => t.close()));
  }
}

class EvaluationThread {
  private worker: Worker | undefined;
  private readonly shared = new SharedArrayBuffer(4);
  private readonly marker = new Int32Array(this.shared);
  /** Program keys this thread has compiled (a thread that forgot one asks again). */
  private readonly known = new Set<string>();
  private seq = 0;
  replaced = 0;

  constructor(private readonly budgets: EvaluationBudgets) {}

  private spawn(): Worker {
    const { memoryMb } = this.budgets;
    const worker = new Worker(threadScript(), {
      workerData: { marker: this.shared, memoryMb },
      resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: Math.max(8, Math.min(64, Math.floor(memoryMb / 8))) },
    });
    worker.unref();
    this.known.clear();
    this.worker = worker;
    return worker;
  }

  run(request: StepRequest): Promise<StepOutcome> {
    let send!: (withDefinition: boolean) => void;
    return this.exchange<StepOutcome>({
      start: (worker, id, finish) => {
        send = (withDefinition) => {
          const message: ThreadRequest = {
            id, key: request.program.key, doc: request.doc, signals: request.signals, now: request.now, seed: request.seed,
            options: {
              ...(request.maxTransitions !== undefined ? { maxTransitions: request.maxTransitions } : {}),
              ...(request.limits !== undefined ? { limits: request.limits } : {}),
              ...(request.fail !== undefined ? { fail: request.fail } : {}),
            },
            ...(withDefinition ? { definition: request.program.definition } : {}),
          };
          try {
            worker.postMessage(message);
            this.known.add(request.program.key);
          } catch (e) {
            // The document or signals cannot be copied to the thread (too deep or too large for the host).
            finish({ kind: 'failed', reason: 'error', ordinal: 0, message: String(e) });
          }
        };
        send(!this.known.has(request.program.key));
      },
      reply: (reply, finish) => {
        const r = reply as ThreadReply;
        if (r.kind === 'needProgram') return send(true);
        const { id: _, ...outcome } = r;
        finish(outcome);
      },
      failed: (reason, message, ordinal) => ({ kind: 'failed', reason, ordinal, message }),
    });
  }

  /** TestState's evaluation: the watchdog counts from its start, so the time budget covers the whole of it. */
  runTestState(call: TestStateCall): Promise<TestStateOutcome> {
    return this.exchange<TestStateOutcome>({
      start: (worker, id, finish) => {
        try {
          worker.postMessage({ kind: 'testState', id, call } satisfies ThreadMessage);
        } catch (e) {
          finish({ kind: 'failed', reason: 'error', message: String(e) });
        }
      },
      reply: (reply, finish) => finish((reply as ThreadTestStateReply).testState),
      failed: (reason, message) => ({ kind: 'failed', reason, message }),
    });
  }

  /**
   * One request to the thread and its answer: `start` sends it, `reply` reads the thread's messages for it, and
   * `failed` makes the outcome when the thread ends instead (over the time budget, out of memory, a crash).
   */
  private exchange<T>(handlers: {
    start: (worker: Worker, id: number, finish: (outcome: T) => void) => void;
    reply: (reply: { id: number }, finish: (outcome: T) => void) => void;
    failed: (reason: FailureReason, message: string, ordinal: number) => T;
  }): Promise<T> {
    const worker = this.worker ?? this.spawn();
    const id = ++this.seq;
    Atomics.store(this.marker, 0, NOT_STARTED);
    worker.ref();
    return new Promise<T>((resolve) => {
      let ended: { reason: FailureReason; message: string } | undefined;
      const finish = (outcome: T): void => {
        clearInterval(watchdog);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        if (this.worker === worker) worker.unref();
        resolve(outcome);
      };
      const onMessage = (reply: { id: number }): void => {
        if (reply.id === id) handlers.reply(reply, finish);
      };
      const onError = (e: Error & { code?: string }): void => {
        ended = e.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? { reason: 'memory', message: e.message }
          : { reason: 'crash', message: `${e.name}: ${e.message}` };
      };
      const onExit = (code: number): void => {
        if (this.worker === worker) this.worker = undefined;
        this.replaced++;
        const why = ended ?? { reason: 'crash' as const, message: `the evaluation thread exited with code ${code}` };
        finish(handlers.failed(why.reason, why.message, Math.max(0, Atomics.load(this.marker, 0))));
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      const watchdog = this.watch(worker, (message) => (ended = { reason: 'time', message }));
      handlers.start(worker, id, finish);
    });
  }

  /** Terminates the thread when the evaluation in progress has not changed for the time budget. */
  private watch(worker: Worker, timedOut: (message: string) => void): NodeJS.Timeout {
    const { timeoutMs } = this.budgets;
    let last = -1;
    let since = performance.now();
    const timer: NodeJS.Timeout = setInterval(() => {
      const ordinal = Atomics.load(this.marker, 0);
      const now = performance.now();
      // A thread still starting (loading its modules) or compiling the program is not evaluating yet.
      if (ordinal === NOT_STARTED || ordinal !== last) {
        last = ordinal;
        since = now;
      } else if (now - since >= timeoutMs) {
        clearInterval(timer);
        timedOut(`evaluation ${ordinal} ran for more than ${timeoutMs} ms`);
        void worker.terminate();
      }
    }, Math.max(5, Math.min(250, Math.floor(timeoutMs / 4))));
    return timer;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }
}
