/**
 * Drives an execution with `runLocal` (@baton/asl) and answers its Task states through a real TaskInvoker, the
 * way the engine will: `succeeded`/`failed` map directly; `poll` results are polled again (after a short real
 * pause, standing in for the engine's durable timer); `submitted` waits for the callback the test completes
 * through `CallbackBook` (the SendTaskSuccess / SendTaskFailure equivalent).
 */
import { randomUUID } from 'node:crypto';
import { runLocal, type Json, type JsonObject, type LocalRunOptions, type LocalRunResult, type ScheduleTaskCommand, type TaskOutcome } from '@baton/asl';
import type { TaskInvoker, TaskRequest, TaskResult } from '../../src/index.js';

export class CallbackBook {
  private readonly waiting = new Map<string, (o: TaskOutcome) => void>();
  private readonly early = new Map<string, TaskOutcome>();

  /** SendTaskSuccess. */
  succeed(token: string, output: Json): void {
    this.complete(token, { ok: true, output });
  }

  /** SendTaskFailure. */
  fail(token: string, error: string, cause?: string): void {
    this.complete(token, { ok: false, error, ...(cause !== undefined ? { cause } : {}) });
  }

  wait(token: string): Promise<TaskOutcome> {
    const done = this.early.get(token);
    if (done) {
      this.early.delete(token);
      return Promise.resolve(done);
    }
    return new Promise((resolve) => this.waiting.set(token, resolve));
  }

  private complete(token: string, outcome: TaskOutcome): void {
    const resolve = this.waiting.get(token);
    if (resolve) {
      this.waiting.delete(token);
      resolve(outcome);
    } else {
      this.early.set(token, outcome);
    }
  }
}

export interface InvokerRunOptions {
  input?: Json;
  region?: string;
  callbacks?: CallbackBook;
  /** Called after a waitForTaskToken task is submitted: plays the external worker (reads the message, calls back). */
  onSubmitted?: (task: ScheduleTaskCommand, output: Json | undefined) => Promise<void> | void;
  /** Every TaskResult the invoker returned, in order (tests assert poll and submit steps with it). */
  results?: { task: ScheduleTaskCommand; result: TaskResult }[];
  executionArn?: string;
  maxPolls?: number;
}

export function taskRequest(task: ScheduleTaskCommand, region: string, executionArn: string): TaskRequest {
  return {
    executionArn,
    stateMachineArn: executionArn.replace(':execution:', ':stateMachine:').replace(/:[^:]+$/, ''),
    stateName: task.stateName,
    taskId: task.taskId,
    resource: task.resource,
    pattern: task.pattern,
    parameters: task.parameters,
    attempt: task.attempt,
    region,
    ...(task.taskToken !== undefined ? { taskToken: task.taskToken } : {}),
    ...(task.timeoutSeconds !== undefined ? { timeoutSeconds: task.timeoutSeconds } : {}),
    ...(task.heartbeatSeconds !== undefined ? { heartbeatSeconds: task.heartbeatSeconds } : {}),
    ...(task.credentials !== undefined ? { credentials: task.credentials } : {}),
  };
}

export function invokerTaskHandler(invoker: TaskInvoker, opts: InvokerRunOptions = {}): NonNullable<LocalRunOptions['taskHandler']> {
  const region = opts.region ?? 'us-east-1';
  const executionArn = opts.executionArn ?? 'arn:aws:states:us-east-1:123456789012:execution:local:local-execution';
  return async (task) => {
    let req = taskRequest(task, region, executionArn);
    for (let polls = 0; ; polls++) {
      const result = await invoker.invoke(req, AbortSignal.timeout(30_000));
      opts.results?.push({ task, result });
      switch (result.kind) {
        case 'succeeded':
          return { ok: true, output: result.output };
        case 'failed':
          return { ok: false, error: result.error, ...(result.cause !== undefined ? { cause: result.cause } : {}) };
        case 'submitted': {
          if (!opts.callbacks || task.taskToken === undefined) return { pending: true };
          const outcome = opts.callbacks.wait(task.taskToken);
          await opts.onSubmitted?.(task, result.output);
          return outcome;
        }
        case 'poll':
          if (polls >= (opts.maxPolls ?? 50)) throw new Error(`task ${task.stateName} still polling after ${polls} polls`);
          await new Promise((r) => setTimeout(r, Math.min(result.afterMs, 20)));
          req = { ...req, poll: { state: result.state, count: polls + 1 } };
          break;
      }
    }
  };
}

/** Runs one execution; each gets its own execution name, so idempotency tokens never collide between runs. */
export function runWithInvoker(definition: JsonObject, invoker: TaskInvoker, opts: InvokerRunOptions = {}): Promise<LocalRunResult> {
  const name = randomUUID();
  const executionArn = opts.executionArn ?? `arn:aws:states:${opts.region ?? 'us-east-1'}:123456789012:execution:local:${name}`;
  return runLocal(definition, {
    ...(opts.input !== undefined ? { input: opts.input } : {}),
    taskHandler: invokerTaskHandler(invoker, { ...opts, executionArn }),
    context: {
      executionArn,
      executionName: executionArn.split(':').pop()!,
      stateMachineArn: executionArn.replace(':execution:', ':stateMachine:').replace(/:[^:]+$/, ''),
      stateMachineName: executionArn.split(':').at(-2)!,
    },
  });
}
