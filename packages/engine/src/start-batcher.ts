/**
 * Group commit for StartExecution (issue 13): starts that arrive while a batch is in flight wait for it and are
 * then written together. A batch costs two round trips to Postgres whatever its size: one read of the state
 * machines its starts name (those started by plain state machine ARN; a version or alias target is resolved by the
 * caller beforehand), and one statement inserting the executions and their `start` signals (atomic on its own:
 * no BEGIN/COMMIT); then its transition jobs go to the queue together (one Redis round trip). One start alone still
 * costs one commit; many clients at once share one commit (and its WAL flush) per batch.
 *
 * Reading the machine in the batch keeps what a start sees as fresh as before: the read begins after the start
 * arrived (a start never joins a read already in flight), so a machine updated or deleted before the call is seen so.
 * Name idempotency is the insert's ON CONFLICT as before: a start whose (state machine, name) is taken, also by an
 * earlier start of the same batch, gets undefined and is answered by the caller as a lone start would be. A start
 * whose machine does not exist (or whose execution cannot be built) fails alone; a failed read or insert fails
 * every start of its batch (each caller sees the error; nothing was written).
 */
import type { Signal } from '@baton/asl';
import { machineTarget, type ExecutionTarget } from './actions/targets.js';
import { transitionJob } from './job-ids.js';
import type { NewExecution } from './ports.js';
import type { Runtime } from './runtime.js';

/** A plain state machine ARN, read with the rest of the batch; `given` is the ARN as the caller wrote it (errors name it). */
export interface MachineToRead {
  stateMachineArn: string;
  given: string;
}

/** What a start wrote, or undefined when its name was taken. */
export interface StartOutcome {
  execution: NewExecution;
  started: { id: string; startDate: Date; signalId: string } | undefined;
}

/** Builds the execution row and its `start` signal once the target is known (may throw an ApiError). */
export type PrepareStart = (target: ExecutionTarget) => { execution: NewExecution; signal: Signal };

interface PendingStart {
  target: ExecutionTarget | MachineToRead;
  prepare: PrepareStart;
  resolve: (outcome: StartOutcome) => void;
  reject: (e: unknown) => void;
}

/** Starts written in one commit at most (a bound on the statement's size). */
const MAX_BATCH = 500;

export class StartBatcher {
  private waiting: PendingStart[] = [];
  private flushing = false;

  constructor(private readonly rt: Runtime) {}

  /** Writes the execution and its start signal, enqueues its first transition. */
  start(target: ExecutionTarget | MachineToRead, prepare: PrepareStart): Promise<StartOutcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ target, prepare, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.waiting.length > 0) await this.write(this.waiting.splice(0, MAX_BATCH));
    } finally {
      this.flushing = false;
    }
  }

  private async write(batch: PendingStart[]): Promise<void> {
    try {
      const toRead = [...new Set(batch.flatMap((p) => ('sm' in p.target ? [] : [p.target.stateMachineArn])))];
      const machines = new Map((await this.rt.store.stateMachines.getMany(toRead)).map((sm) => [sm.arn, sm]));
      const ready: (PendingStart & { execution: NewExecution; signal: Signal })[] = [];
      for (const p of batch) {
        try {
          const t = p.target;
          ready.push({ ...p, ...p.prepare('sm' in t ? t : machineTarget(machines.get(t.stateMachineArn), t.given)) });
        } catch (e) {
          p.reject(e);
        }
      }
      if (ready.length === 0) return;
      const results = await this.rt.store.executions.insertStarts(ready);
      await this.rt.dispatch(results.flatMap((r) => (r ? [transitionJob(r.id, r.signalId)] : [])));
      ready.forEach((p, i) => p.resolve({ execution: p.execution, started: results[i] }));
    } catch (e) {
      for (const p of batch) p.reject(e); // a start already answered ignores this
    }
  }
}
