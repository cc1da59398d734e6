/**
 * Runs steps in a small pool of evaluation hosts (evaluation-hosts.ts: child processes by default, or worker
 * threads), so that no evaluation can stall the event loop that serves the API and the other executions, nor take
 * down the process, and each runs under the budgets:
 * - memory: each host's heap is capped; a host that runs out ends (V8 ends it) and is replaced;
 * - time: a watchdog here reads the number of the evaluation in progress from the host's marker; when it has not
 *   moved for the time budget, the host is killed and replaced.
 * Either way the step comes back `failed` with that evaluation's number (safe-step.ts fails its state). A host
 * compiles each program once and keeps it by key; the pool sends a definition only to a host that lacks it.
 * Hosts start on first use, or the first one ahead of it (`warm`), and idle ones do not keep the process alive.
 */
import type { EvaluationBudgets, Evaluator, FailureReason, StepOutcome, StepRequest, TestStateCall, TestStateOutcome } from './evaluator.js';
import { HostGone, NOT_STARTED, startHost, type Ended, type EvaluationHost, type Isolation } from './evaluation-hosts.js';
import { MAX_BATCH, readMarkerValue, type HostReply, type HostSteps, type HostTestStateReply } from './host-protocol.js';

export type { Isolation } from './evaluation-hosts.js';

export interface PoolOptions extends EvaluationBudgets {
  /** Hosts (processes or threads) in the pool: how many steps evaluate at once. */
  threads: number;
  /** Default `process`. */
  isolation?: Isolation;
}

/** A step waiting for an idle slot (steps that wait together go to a host together), or another job. */
type Waiting =
  | { kind: 'step'; request: StepRequest; resolve: (outcome: StepOutcome) => void; reject: (e: unknown) => void }
  | { kind: 'job'; run: (slot: EvaluationSlot) => Promise<void> };
type WaitingStep = Extract<Waiting, { kind: 'step' }>;

export class PoolEvaluator implements Evaluator {
  readonly budgets: EvaluationBudgets;
  readonly isolation: Isolation;
  private readonly idle: EvaluationSlot[];
  private readonly all: EvaluationSlot[];
  private readonly waiting: Waiting[] = [];
  private closed = false;
  private batched = 0;

  constructor(options: PoolOptions) {
    this.budgets = { timeoutMs: options.timeoutMs, memoryMb: options.memoryMb };
    this.isolation = options.isolation ?? 'process';
    this.all = Array.from({ length: Math.max(1, options.threads) }, () => new EvaluationSlot(this.isolation, this.budgets));
    this.idle = [...this.all];
  }

  /** Steps sent to a host in one message with others so far (for tests and telemetry). */
  get batchedSteps(): number {
    return this.batched;
  }

  /** Hosts started so far, replacements included (for tests and telemetry). */
  get startedHosts(): number {
    return this.all.reduce((n, t) => n + t.started, 0);
  }

  /** Hosts replaced so far because a step went over a budget or crashed one (for tests and telemetry). */
  get replacedThreads(): number {
    return this.all.reduce((n, t) => n + t.replaced, 0);
  }

  step(request: StepRequest): Promise<StepOutcome> {
    if (this.closed) return Promise.reject(new Error('the evaluator is closed'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ kind: 'step', request, resolve, reject });
      this.pump();
    });
  }

  testState(call: TestStateCall): Promise<TestStateOutcome> {
    return this.enqueue((slot) => slot.runTestState(call));
  }

  /**
   * Starts the host that takes the next step (the last idle slot: `pump` takes from the end), if it has none. One,
   * not all: at low load one host takes every step, and the others start when steps wait for them.
   */
  warm(): void {
    if (!this.closed) this.idle[this.idle.length - 1]?.warm();
  }

  private enqueue<T>(job: (slot: EvaluationSlot) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the evaluator is closed'));
    return new Promise((resolve, reject) => {
      this.waiting.push({ kind: 'job', run: (slot) => job(slot).then(resolve, reject) });
      this.pump();
    });
  }

  /** Hands waiting work to idle slots: the steps waiting at the head of the line, up to MAX_BATCH, in one batch. */
  private pump(): void {
    while (this.idle.length > 0 && this.waiting.length > 0) {
      const slot = this.idle.pop()!;
      const first = this.waiting.shift()!;
      let work: Promise<void>;
      if (first.kind === 'job') {
        work = first.run(slot);
      } else {
        const batch: WaitingStep[] = [first];
        while (batch.length < MAX_BATCH && this.waiting[0]?.kind === 'step') batch.push(this.waiting.shift() as WaitingStep);
        if (batch.length > 1) this.batched += batch.length;
        // Each step's caller goes on as soon as its own answer is in; the slot is busy until the last one.
        work = slot.runSteps(batch.map((w) => w.request), (i, outcome) => batch[i]!.resolve(outcome)).catch(
          (e: unknown) => batch.forEach((w) => w.reject(e)),
        );
      }
      void work.then(() => {
        this.idle.push(slot);
        this.pump();
      });
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.all.map((t) => t.close()));
  }
}

/** One place in the pool: its host, started when first needed and again after each one that ended. */
class EvaluationSlot {
  private host: EvaluationHost | undefined;
  /** Program keys this host has compiled (a host that forgot one asks again). */
  private readonly known = new Set<string>();
  private seq = 0;
  replaced = 0;
  started = 0;

  constructor(private readonly isolation: Isolation, private readonly budgets: EvaluationBudgets) {}

  private spawn(): EvaluationHost {
    const host = startHost(this.isolation, this.budgets);
    this.started++;
    // A host can also end between requests (killed from outside): the next request starts another.
    host.once('ended', () => {
      if (this.host === host) this.host = undefined;
    });
    this.known.clear();
    this.host = host;
    return host;
  }

  /** Starts this slot's host now if it has none. A host that cannot start is reported by the step that needs it. */
  warm(): void {
    if (this.host) return;
    try {
      this.spawn();
    } catch {
      // The next step tries again, and fails its transition with the reason (exchange).
    }
  }

  /**
   * Steps in one message to the host (host-protocol.ts), each handed to `deliver` as its answer comes. When the
   * host ends in the middle (over a budget, out of memory, a crash), the step the marker names fails, and those not
   * yet answered run again on a new host (a step is pure: running one twice does nothing twice). Resolves when
   * every step has been delivered.
   */
  runSteps(requests: readonly StepRequest[], deliver: (index: number, outcome: StepOutcome) => void): Promise<void> {
    const delivered = requests.map(() => false);
    let answered = 0;
    const give = (index: number, outcome: StepOutcome): void => {
      if (delivered[index]) return;
      delivered[index] = true;
      answered++;
      deliver(index, outcome);
    };
    /** Runs the steps at `indices` again (one batch, or one at a time), delivering under their first numbers. */
    const again = async (indices: number[], oneByOne: boolean): Promise<void> => {
      const groups = oneByOne ? indices.map((i) => [i]) : [indices];
      for (const g of groups) await this.runSteps(g.map((i) => requests[i]!), (k, outcome) => give(g[k]!, outcome));
    };
    let send!: (withDefinitions: boolean) => void;
    return this.exchange<void>({
      start: (host, id, finish) => {
        send = (withDefinitions) => {
          const message: HostSteps = {
            kind: 'steps', id,
            items: requests.map((r) => ({
              key: r.program.key, doc: r.doc, signals: r.signals, now: r.now, seed: r.seed,
              options: {
                ...(r.maxTransitions !== undefined ? { maxTransitions: r.maxTransitions } : {}),
                ...(r.limits !== undefined ? { limits: r.limits } : {}),
                ...(r.fail !== undefined ? { fail: r.fail } : {}),
              },
              ...(withDefinitions || !this.known.has(r.program.key) ? { definition: r.program.definition } : {}),
            })),
          };
          try {
            host.send(message);
            for (const r of requests) this.known.add(r.program.key);
          } catch (e) {
            if (e instanceof HostGone) return; // its `ended` follows and sends this again to a new host
            // A document or signals cannot be copied to the host (too deep or too large): that step fails, the
            // others go one at a time.
            if (requests.length === 1) {
              give(0, { kind: 'failed', reason: 'error', ordinal: 0, message: String(e) });
              return finish();
            }
            finish(again(requests.map((_, i) => i), true));
          }
        };
        send(false);
      },
      reply: (reply, finish) => {
        const r = reply as HostReply;
        if (r.kind === 'needProgram') return send(true);
        const { id: _, index, ...outcome } = r;
        give(index, outcome);
        if (answered === requests.length) finish();
      },
      failed: (reason, message, marker) => {
        const { item, ordinal } = readMarkerValue(marker);
        give(item, { kind: 'failed', reason, ordinal, message });
        const rest = requests.flatMap((_, i) => (delivered[i] ? [] : [i]));
        return rest.length === 0 ? undefined : again(rest, false);
      },
    });
  }

  /** TestState's evaluation: the watchdog counts from its start, so the time budget covers the whole of it. */
  runTestState(call: TestStateCall): Promise<TestStateOutcome> {
    return this.exchange<TestStateOutcome>({
      start: (host, id, finish) => {
        try {
          host.send({ kind: 'testState', id, call });
        } catch (e) {
          if (!(e instanceof HostGone)) finish({ kind: 'failed', reason: 'error', message: String(e) });
        }
      },
      reply: (reply, finish) => finish((reply as HostTestStateReply).testState),
      failed: (reason, message) => ({ kind: 'failed', reason, message }),
    });
  }

  /**
   * One request to the host and its answer: `start` sends it, `reply` reads the host's messages for it, and
   * `failed` makes the outcome when the host ends instead (over the time budget, out of memory, a crash). A host
   * that ends before it began the request (it died idle, or while starting) gets it sent again, once, to a new
   * host: a step is pure, so nothing was done twice.
   */
  private exchange<T>(handlers: {
    start: (host: EvaluationHost, id: number, finish: (outcome: T | Promise<T>) => void) => void;
    reply: (reply: { id: number }, finish: (outcome: T | Promise<T>) => void) => void;
    /** `marker`: the host's marker when it ended (NOT_STARTED counts as 0). */
    failed: (reason: FailureReason, message: string, marker: number) => T | Promise<T>;
  }, retried = false): Promise<T> {
    let host: EvaluationHost;
    try {
      host = this.host ?? this.spawn();
    } catch (e) {
      // No host can start (no temporary directory, no process left to fork): nothing the step did, so the caller
      // fails the transition and it is tried again later, as when the database is unreachable.
      return Promise.reject(new Error(`could not start an evaluation ${this.isolation}: ${e instanceof Error ? e.message : String(e)}`));
    }
    const id = ++this.seq;
    host.resetMarker();
    host.ref();
    return new Promise<T>((resolve) => {
      let timedOut: Ended | undefined;
      let settled = false;
      const settle = (outcome: T | Promise<T>): void => {
        if (settled) return;
        settled = true;
        clearInterval(watchdog);
        host.off('message', onMessage);
        host.off('ended', onEnded);
        host.unref();
        resolve(outcome);
      };
      const finish = (outcome: T | Promise<T>): void => settle(outcome);
      const onMessage = (reply: { id: number }): void => {
        if (reply.id === id) handlers.reply(reply, finish);
      };
      const onEnded = (why: Ended): void => {
        this.replaced++;
        if (why.unavailable) return settle(Promise.reject(new Error(`could not start an evaluation ${this.isolation}: ${why.message}`)));
        const ordinal = host.readMarker();
        if (ordinal === NOT_STARTED && timedOut === undefined && !retried) return settle(this.exchange(handlers, true));
        const ended = timedOut ?? why;
        finish(handlers.failed(ended.reason, ended.message, Math.max(0, ordinal)));
      };
      host.on('message', onMessage);
      host.on('ended', onEnded);
      const watchdog = this.watch(host, (message) => (timedOut = { reason: 'time', message }));
      handlers.start(host, id, finish);
    });
  }

  /** Kills the host when the evaluation in progress has not changed for the time budget. */
  private watch(host: EvaluationHost, timedOut: (message: string) => void): NodeJS.Timeout {
    const { timeoutMs } = this.budgets;
    let last = NOT_STARTED;
    let since = performance.now();
    const timer: NodeJS.Timeout = setInterval(() => {
      const ordinal = host.readMarker();
      const now = performance.now();
      // A host still starting (loading its modules) or compiling the program is not evaluating yet.
      if (ordinal === NOT_STARTED || ordinal !== last) {
        last = ordinal;
        since = now;
      } else if (now - since >= timeoutMs) {
        clearInterval(timer);
        timedOut(`evaluation ${ordinal} ran for more than ${timeoutMs} ms`);
        host.kill();
      }
    }, Math.max(5, Math.min(250, Math.floor(timeoutMs / 4))));
    return timer;
  }

  async close(): Promise<void> {
    const host = this.host;
    this.host = undefined;
    if (host) await host.close();
  }
}
