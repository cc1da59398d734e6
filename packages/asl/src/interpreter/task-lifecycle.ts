/**
 * A Task state's work, from scheduling to its result. AWS records it in one of three event families chosen by the
 * Resource: Activity* (activity ARNs), LambdaFunction* (legacy Lambda function ARNs) or Task* (service
 * integrations, whose details also name resourceType and resource). The order is Scheduled, Started (once),
 * TaskSubmitted (service integrations that report it), then exactly one of Succeeded, Failed or TimedOut.
 * TimeoutSeconds and HeartbeatSeconds start timers with the task; a heartbeat restarts the heartbeat timer. A
 * signal for a task that is no longer pending (answered, timed out, cancelled) does not apply. A result goes
 * through the state's data flow and leaves the state; a failure goes to Retry / Catch.
 */
import { nestingDepthMessage, type Json } from '../json.js';
import { StatesError } from '../errors.js';
import type { TaskNode } from '../model/nodes.js';
import { detailsKey, jsonText, untruncated } from './event-details.js';
import { parseResource, type ParsedResource } from './resource.js';
import type { Stepper } from './stepper.js';
import type { ResourceFamily, Run } from './types.js';

const FAMILY_EVENT_PREFIX: Record<ResourceFamily, string> = { activity: 'Activity', lambda: 'LambdaFunction', service: 'Task' };

export class TaskLifecycle {
  constructor(private readonly s: Stepper) {}

  /** Emits `{Activity|LambdaFunction|Task}<what>`; Task* details lead with resourceType and resource. No details: none recorded. */
  private emitFamilyEvent(run: Run, r: ParsedResource, what: string, details?: Record<string, unknown>): void {
    const type = `${FAMILY_EVENT_PREFIX[r.family]}${what}`;
    if (details === undefined) {
      this.s.emit(run, type);
      return;
    }
    const full = r.family === 'service' ? { resourceType: r.resourceType, resource: r.resource, ...details } : details;
    this.s.emit(run, type, { [detailsKey(type)]: full });
  }

  /** The run waiting on `taskId` and its Task, or undefined when the task is no longer pending. */
  private pending(taskId: string) {
    const t = this.s.doc.tasks[taskId];
    if (!t) return undefined;
    const run = this.s.doc.runs[t.runId];
    if (!run || run.phase.kind !== 'task' || run.phase.taskId !== taskId) return undefined;
    const node = this.s.node(run) as TaskNode;
    return { run, node, phase: run.phase, r: parseResource(node.resource) };
  }

  async schedule(run: Run, node: TaskNode): Promise<void> {
    const r = parseResource(node.resource);
    const taskId = this.s.nextId('k');
    const token = r.pattern === 'waitForTaskToken' ? this.s.env.newTaskToken() : undefined;
    const prepared = await this.s.flow.taskInput(run, node, token);
    const timers: string[] = [];
    const details: Record<string, unknown> = {};
    if (prepared.timeoutSeconds !== undefined) details.timeoutInSeconds = prepared.timeoutSeconds;
    if (prepared.heartbeatSeconds !== undefined) details.heartbeatInSeconds = prepared.heartbeatSeconds;
    // TaskScheduled carries the region and `parameters`; the other families the full ARN and `input`.
    if (r.family === 'service') {
      const scheduled: Record<string, unknown> = {
        region: r.region ?? this.s.doc.context.region ?? 'us-east-1',
        parameters: jsonText(prepared.parameters), ...details,
      };
      if (prepared.credentials !== undefined) scheduled.taskCredentials = prepared.credentials;
      this.emitFamilyEvent(run, r, 'Scheduled', scheduled);
    } else {
      this.emitFamilyEvent(run, r, 'Scheduled', { resource: node.resource, input: jsonText(prepared.parameters), inputDetails: untruncated, ...details });
    }
    this.s.doc.tasks[taskId] = { runId: run.id, stateName: node.name, resource: node.resource, family: r.family };
    for (const [purpose, seconds] of [['taskTimeout', prepared.timeoutSeconds], ['heartbeat', prepared.heartbeatSeconds]] as const) {
      if (seconds === undefined) continue;
      timers.push(this.s.startTimer(run.id, purpose, this.s.env.now + seconds * 1000, taskId));
    }
    run.phase = {
      kind: 'task', taskId, effectiveInput: prepared.effectiveInput, timers, started: false,
      ...(prepared.heartbeatSeconds !== undefined ? { heartbeatSeconds: prepared.heartbeatSeconds } : {}),
    };
    this.s.commands.push({
      kind: 'scheduleTask', taskId, runId: run.id, stateName: node.name, resource: node.resource, family: r.family,
      pattern: r.pattern, parameters: prepared.parameters,
      ...(prepared.timeoutSeconds !== undefined ? { timeoutSeconds: prepared.timeoutSeconds } : {}),
      ...(prepared.heartbeatSeconds !== undefined ? { heartbeatSeconds: prepared.heartbeatSeconds } : {}),
      ...(token !== undefined ? { taskToken: token } : {}),
      ...(prepared.credentials !== undefined ? { credentials: prepared.credentials } : {}),
      attempt: run.retryCounts.reduce((a, b) => a + b, 0),
    });
  }

  /** The worker took the task; recorded once. */
  started(taskId: string, workerName: string | undefined): boolean {
    const found = this.pending(taskId);
    if (!found) return false;
    const { run, phase, r } = found;
    if (phase.started) return false;
    phase.started = true;
    // ActivityStarted names the worker, TaskStarted the resource; LambdaFunctionStarted has no details.
    const details = r.family === 'activity' ? { workerName: workerName ?? '' } : r.family === 'service' ? {} : undefined;
    this.emitFamilyEvent(run, r, 'Started', details);
    return true;
  }

  submitted(taskId: string, output: Json): boolean {
    const found = this.pending(taskId);
    if (!found) return false;
    const { run, r } = found;
    this.s.emit(run, 'TaskSubmitted', {
      taskSubmittedEventDetails: { resourceType: r.resourceType, resource: r.resource, output: jsonText(output), outputDetails: untruncated },
    });
    return true;
  }

  /** Restarts the heartbeat timer from now (HeartbeatSeconds as computed when the task was scheduled). */
  heartbeat(taskId: string): boolean {
    const found = this.pending(taskId);
    if (!found) return false;
    for (const timerId of found.phase.timers) {
      const t = this.s.doc.timers[timerId];
      if (t?.purpose !== 'heartbeat') continue;
      const seconds = found.phase.heartbeatSeconds;
      if (seconds === undefined) continue;
      this.s.cancelTimer(timerId);
      const fresh = this.s.startTimer(found.run.id, 'heartbeat', this.s.env.now + seconds * 1000, taskId);
      found.phase.timers = found.phase.timers.map((t2) => (t2 === timerId ? fresh : t2));
    }
    return true;
  }

  async succeeded(taskId: string, output: Json): Promise<boolean> {
    const found = this.pending(taskId);
    if (!found) return false;
    // A result too deep to read is a failed task (not retried or caught, as States.Runtime never is).
    const check = this.s.checkOutput(output);
    if (check.kind === 'deep') return this.failed(taskId, 'States.Runtime', `The task returned a result nested too deeply. ${nestingDepthMessage(check.depth)}`, 'failed');
    const { run, node, r } = found;
    const effectiveInput = this.close(run, taskId);
    this.emitFamilyEvent(run, r, 'Succeeded', { output: check.kind === 'ok' ? check.text : jsonText(output), outputDetails: untruncated });
    this.s.transitions++;
    if (check.kind !== 'ok') {
      await this.s.stateFailed(run, node, this.s.outputError(node, check));
      return true;
    }
    try {
      const { output: stateOutput, assigned } = await this.s.flow.taskOutput(run, node, effectiveInput, output);
      await this.s.exitState(run, node, stateOutput, undefined, assigned);
    } catch (e) {
      await this.s.stateFailed(run, node, this.s.toStatesError(run, node, e));
    }
    return true;
  }

  /** The task failed, or one of its timers fired (`timedOut`: the worker is told to stop too). */
  async failed(taskId: string, error: string, cause: string | undefined, how: 'failed' | 'timedOut'): Promise<boolean> {
    const found = this.pending(taskId);
    if (!found) return false;
    const { run, node, r } = found;
    this.close(run, taskId);
    if (how === 'timedOut') this.s.commands.push({ kind: 'cancelTask', taskId, timedOut: true });
    // A timeout records only the error (no cause key), as AWS's TaskTimedOut / ActivityTimedOut events show.
    const details = how === 'timedOut' ? { error, ...(cause !== undefined ? { cause } : {}) } : { error, cause: cause ?? '' };
    this.emitFamilyEvent(run, r, how === 'timedOut' ? 'TimedOut' : 'Failed', details);
    this.s.transitions++;
    await this.s.stateFailed(run, node, new StatesError(error, cause));
    return true;
  }

  /** Forgets a pending task and cancels its timers; returns its effective input (for ResultPath). */
  close(run: Run, taskId: string): Json {
    const phase = run.phase;
    if (phase.kind !== 'task') return null;
    for (const timerId of phase.timers) {
      if (this.s.doc.timers[timerId]) this.s.cancelTimer(timerId);
    }
    delete this.s.doc.tasks[taskId];
    run.phase = { kind: 'done' };
    return phase.effectiveInput;
  }
}
