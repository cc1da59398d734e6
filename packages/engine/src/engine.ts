/**
 * The engine's face to the API: one method per Step Functions action, in the SDK's request/response shapes
 * (`SfnBackend` of @baton/api-contract), throwing `ApiError` with AWS's codes and message texts.
 * The durable work (transitions, tasks) is done by the worker and timer roles over the same store and queue.
 */
import { randomUUID } from 'node:crypto';
import * as api from '@baton/api-contract';
import { ApiError } from '@baton/api-contract';
import { jsonByteLength, nestingBeyond, nestingDepthMessage, newExecution, type Json } from '@baton/asl';
import * as aliases from './actions/aliases.js';
import { checkedEncryption, shownEncryption, shownLogging, shownTracing } from './actions/configuration.js';
import { AWS_VERSION_QUOTAS, type ActionContext } from './actions/context.js';
import * as machines from './actions/state-machines.js';
import { testStateAction } from './actions/test-state.js';
import { executionOrigin, listingScope, resolveTarget, type ExecutionTarget } from './actions/targets.js';
import * as versions from './actions/versions.js';
import { ActivityPoller } from './activity-poller.js';
import { cryptoRandom } from './crypto.js';
import { ConsoleActions } from './actions/console.js';
import { runExpress } from './express-run.js';
import { toApiEvent } from './history-shape.js';
import type { EngineOptions } from './options.js';
import { PageTokens } from './pagination.js';
import type { ExecutionLogEntry, ExecutionSummary, Job } from './ports.js';
import { Runtime } from './runtime.js';
import { answerTask } from './task-callbacks.js';
import { StartBatcher } from './start-batcher.js';
import { TaskRunner } from './task-runner.js';
import { TransitionRunner } from './transition-runner.js';
import { Reconciler } from './reconciler.js';
import { TimerService, type TimerServiceOptions } from './timer-service.js';
import { RetentionSweeper, type RetentionSweeperOptions } from './retention-sweeper.js';
import { MapRunActions } from './actions/map-runs.js';
import { redriveExecution, redriveStatus } from './actions/redrive.js';
import { MapRunService } from './map-run/service.js';
import { newTraceContext } from './observability/execution-spans.js';
import { executionLogEntries } from './observability/execution-log-events.js';

const MAX_TAGS = 50;

export class Engine implements api.SfnBackend, api.ConsoleBackend {
  readonly rt: Runtime;
  readonly transitions: TransitionRunner;
  readonly tasks: TaskRunner;
  private readonly starts: StartBatcher;
  private readonly activities: ActivityPoller;
  private readonly pages: PageTokens;
  /** What the actions kept in ./actions/ (state machines, versions, aliases) share. */
  private readonly ctx: ActionContext;
  private readonly consoleActions: ConsoleActions;
  /** Distributed Map Runs driven by this process (worker roles). */
  readonly mapRuns: MapRunService;
  private readonly mapRunActions: MapRunActions;

  constructor(options: EngineOptions) {
    this.rt = new Runtime(options);
    this.tasks = new TaskRunner(this.rt);
    this.transitions = new TransitionRunner(this.rt, this.tasks);
    this.starts = new StartBatcher(this.rt);
    this.activities = new ActivityPoller(this.rt, this.transitions);
    this.pages = new PageTokens(options.paginationKey !== undefined ? { key: options.paginationKey } : { keys: options.store.signingKeys });
    this.ctx = {
      rt: this.rt, pages: this.pages, scope: this.scope, random: options.random ?? cryptoRandom,
      quotas: { ...AWS_VERSION_QUOTAS, ...options.quotas },
    };
    this.consoleActions = new ConsoleActions(this.rt);
    this.mapRuns = new MapRunService(this.rt, {
      leaseMs: this.rt.options.mapRunLeaseMs, pollMs: this.rt.options.mapRunPollMs, storage: options.mapRunStorage,
    });
    this.mapRunActions = new MapRunActions(this.rt, this.pages);
  }

  private get scope(): api.ArnScope {
    const o = this.rt.options;
    return { partition: o.partition, region: o.region, account: o.account };
  }

  /** Runs one queue job (the worker role's handler). */
  async handleJob(job: Job): Promise<void> {
    if (job.kind === 'transition') await this.transitions.run(job.executionId);
    else if (job.kind === 'task') await this.tasks.run(job.executionId, job.taskId);
    else this.mapRuns.poke(job.mapRunId);
  }

  newReconciler(intervalMs?: number): Reconciler {
    return new Reconciler(this.rt, intervalMs);
  }

  newTimerService(options?: TimerServiceOptions): TimerService {
    return new TimerService(this.rt, options);
  }

  newRetentionSweeper(options: RetentionSweeperOptions): RetentionSweeper {
    return new RetentionSweeper(this.rt, options);
  }

  async close(): Promise<void> {
    await this.mapRuns.stop();
    await this.activities.close();
    await this.rt.evaluator.close();
  }

  // ------------------------------------------------------------------------------------ state machines

  createStateMachine(input: api.CreateStateMachineInput): Promise<api.CreateStateMachineOutput> {
    return machines.createStateMachine(this.ctx, input);
  }

  describeStateMachine(input: api.DescribeStateMachineInput): Promise<api.DescribeStateMachineOutput> {
    return machines.describeStateMachine(this.ctx, input);
  }

  updateStateMachine(input: api.UpdateStateMachineInput): Promise<api.UpdateStateMachineOutput> {
    return machines.updateStateMachine(this.ctx, input);
  }

  deleteStateMachine(input: api.DeleteStateMachineInput): Promise<api.DeleteStateMachineOutput> {
    return machines.deleteStateMachine(this.ctx, input);
  }

  async listStateMachines(input: api.ListStateMachinesInput): Promise<api.ListStateMachinesOutput> {
    const { items, nextToken } = await this.pages.page('sm', input, (range) => this.rt.store.stateMachines.list(range));
    return {
      stateMachines: items.map((r) => ({ stateMachineArn: r.arn, name: r.name, type: r.type, creationDate: r.createdAt })),
      ...(nextToken !== undefined ? { nextToken } : {}),
    };
  }

  async describeStateMachineForExecution(input: api.DescribeStateMachineForExecutionInput): Promise<api.DescribeStateMachineForExecutionOutput> {
    const exec = await this.execution(input.executionArn);
    const r = await this.rt.store.stateMachines.getRevision(exec.stateMachineArn, exec.stateMachineRevision);
    if (!r) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${input.executionArn}'`);
    return {
      stateMachineArn: r.stateMachineArn, name: api.parseStateMachineArn(r.stateMachineArn).name,
      definition: machines.shownDefinition(r.definition, input.includedData),
      roleArn: r.roleArn, updateDate: r.createdAt, ...(r.revisionId !== null ? { revisionId: r.revisionId } : {}),
      loggingConfiguration: shownLogging(r.loggingConfiguration), tracingConfiguration: shownTracing(r.tracingConfiguration),
      ...shownEncryption(r.encryptionConfiguration),
    };
  }

  // ------------------------------------------------------------------------------------ TestState

  testState(input: api.TestStateInput): Promise<api.TestStateOutput> {
    return testStateAction(this.ctx, input);
  }

  // ------------------------------------------------------------------------------------ versions and aliases

  publishStateMachineVersion(input: api.PublishStateMachineVersionInput): Promise<api.PublishStateMachineVersionOutput> {
    return versions.publishStateMachineVersion(this.ctx, input);
  }

  listStateMachineVersions(input: api.ListStateMachineVersionsInput): Promise<api.ListStateMachineVersionsOutput> {
    return versions.listStateMachineVersions(this.ctx, input);
  }

  deleteStateMachineVersion(input: api.DeleteStateMachineVersionInput): Promise<api.DeleteStateMachineVersionOutput> {
    return versions.deleteStateMachineVersion(this.ctx, input);
  }

  createStateMachineAlias(input: api.CreateStateMachineAliasInput): Promise<api.CreateStateMachineAliasOutput> {
    return aliases.createStateMachineAlias(this.ctx, input);
  }

  describeStateMachineAlias(input: api.DescribeStateMachineAliasInput): Promise<api.DescribeStateMachineAliasOutput> {
    return aliases.describeStateMachineAlias(this.ctx, input);
  }

  updateStateMachineAlias(input: api.UpdateStateMachineAliasInput): Promise<api.UpdateStateMachineAliasOutput> {
    return aliases.updateStateMachineAlias(this.ctx, input);
  }

  deleteStateMachineAlias(input: api.DeleteStateMachineAliasInput): Promise<api.DeleteStateMachineAliasOutput> {
    return aliases.deleteStateMachineAlias(this.ctx, input);
  }

  listStateMachineAliases(input: api.ListStateMachineAliasesInput): Promise<api.ListStateMachineAliasesOutput> {
    return aliases.listStateMachineAliases(this.ctx, input);
  }

  // ------------------------------------------------------------------------------------ executions

  async startExecution(input: api.StartExecutionInput): Promise<api.StartExecutionOutput> {
    const given = input.stateMachineArn;
    const parsed = api.parseStateMachineTarget(given);
    const name = input.name ?? randomUUID();
    const text = input.input ?? '{}';
    let value: Json;
    try {
      api.assertValidName(name);
      value = this.parseInput(text);
    } catch (e) {
      // Answered after the machine is looked up, as always: a missing machine is the error a caller sees first.
      await resolveTarget(this.ctx, given);
      throw e;
    }
    // A version or alias is resolved here; a plain machine is read with the rest of its batch (start-batcher.ts).
    const target = parsed.kind === 'stateMachine' ? { stateMachineArn: parsed.stateMachineArn, given } : await resolveTarget(this.ctx, given);
    const startMs = this.rt.clock.now();
    // Continues the caller's trace, if any: the input's traceHeader, the request's trace headers the API attached to
    // the input, or the active span (observability/execution-spans.ts).
    const traced = newTraceContext(input);
    // Group commit with the starts arriving meanwhile; the first transition is enqueued too.
    const { execution, started } = await this.starts.start(target, (t) => {
      const sm = t.sm;
      const arn = api.executionArn(this.scope, sm.name, name);
      const doc = newExecution(this.context(t, arn, name, startMs), value);
      return {
        execution: {
          arn, stateMachineArn: sm.arn, stateMachineRevision: t.revision, name, status: 'RUNNING', input: text,
          output: null, error: null, cause: null, startDate: new Date(startMs), stopDate: null, doc,
          stateMachineVersion: t.version, stateMachineAlias: t.alias, traceHeader: input.traceHeader ?? null, ...traced,
        },
        signal: { kind: 'start', input: value },
      };
    });
    const arn = execution.arn;
    if (started) {
      this.rt.metrics.executionStarted(execution.stateMachineArn);
      return { executionArn: arn, startDate: started.startDate };
    }
    const existing = await this.rt.store.executions.getSummaryByArn(arn);
    // AWS: the same name and input while the execution is running returns that execution.
    if (existing && existing.status === 'RUNNING' && existing.input === text) return { executionArn: arn, startDate: existing.startDate };
    throw new ApiError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
  }

  async startSyncExecution(input: api.StartSyncExecutionInput): Promise<api.StartSyncExecutionOutput> {
    const target = await resolveTarget(this.ctx, input.stateMachineArn);
    const sm = target.sm;
    if (sm.type !== 'EXPRESS') throw new ApiError('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine');
    const name = input.name ?? randomUUID();
    api.assertValidName(name);
    const text = input.input ?? '{}';
    const value = this.parseInput(text);
    const arn = `arn:${this.scope.partition}:states:${this.scope.region}:${this.scope.account}:express:${sm.name}:${name}:${randomUUID()}`;
    const startMs = this.rt.clock.now();
    // The revision the target runs (a version keeps its own), compiled once per process and evaluated under budgets.
    const program = await this.rt.programs.get(sm.arn, target.revision);
    const logging = (await this.rt.revisionSettings.get(sm.arn, target.revision)).logging;
    const logged: ExecutionLogEntry[] = [];
    // One trace for the run (the caller's, if any): task calls carry it; its root span is emitted at the end.
    const traced = newTraceContext(input);
    const doc = await runExpress(this.rt, program, newExecution(this.context(target, arn, name, startMs), value), {
      traceparent: traced.traceContext,
      ...(logging ? { onEvents: (events) => logged.push(...executionLogEntries({ arn, stateMachineName: sm.name, redriveCount: 0 }, logging, events)) } : {}),
    });
    this.rt.executionSpans.expressEnded({
      arn, stateMachineArn: sm.arn, name, startDate: new Date(startMs), redriveCount: 0, redriveDate: null, ...traced,
    }, doc, this.rt.clock.now());
    // Written once the execution is over (there is no transaction to join); delivered by a worker like any other.
    if (logged.length > 0) await this.rt.store.executionLogs.enqueue(logged);
    const withData = input.includedData !== 'METADATA_ONLY';
    return {
      executionArn: arn, stateMachineArn: sm.arn, name, startDate: new Date(startMs), stopDate: new Date(this.rt.clock.now()),
      status: doc.status as api.SyncExecutionStatus,
      ...(doc.error !== undefined ? { error: doc.error } : {}),
      ...(doc.cause !== undefined ? { cause: doc.cause } : {}),
      ...(withData ? { input: text } : {}), inputDetails: { included: withData },
      ...(doc.status === 'SUCCEEDED' ? { ...(withData ? { output: JSON.stringify(doc.output ?? null) } : {}), outputDetails: { included: withData } } : {}),
      ...(input.traceHeader !== undefined ? { traceHeader: input.traceHeader } : {}),
      billingDetails: { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: Math.max(100, Math.ceil((this.rt.clock.now() - startMs) / 100) * 100) },
    };
  }

  async describeExecution(input: api.DescribeExecutionInput): Promise<api.DescribeExecutionOutput> {
    const e = await this.execution(input.executionArn);
    const withData = input.includedData !== 'METADATA_ONLY';
    const mapRun = await this.mapRunActions.ofChild(e.id);
    const ended = e.status !== 'RUNNING' && e.status !== 'SUCCEEDED';
    // Whether it can be redriven needs the document (where it would resume) only once it ended unsuccessfully.
    const full = ended ? await this.rt.store.executions.get(e.id) : undefined;
    const machine = ended ? await this.rt.store.stateMachines.get(e.stateMachineArn) : undefined;
    const redrive = redriveStatus(full ?? e, machine, mapRun.mapRunArn !== undefined, this.rt.clock.now());
    return {
      executionArn: e.arn, stateMachineArn: e.stateMachineArn, name: e.name, status: e.status, startDate: e.startDate,
      ...(e.stopDate ? { stopDate: e.stopDate } : {}),
      ...(withData ? { input: e.input } : {}), inputDetails: { included: withData },
      ...(e.output !== null ? { ...(withData ? { output: e.output } : {}), outputDetails: { included: withData } } : {}),
      ...(e.error !== null ? { error: e.error } : {}),
      ...(e.cause !== null ? { cause: e.cause } : {}),
      ...executionOrigin(e),
      ...(e.traceHeader !== null ? { traceHeader: e.traceHeader } : {}),
      redriveCount: e.redriveCount,
      ...(e.redriveDate !== null ? { redriveDate: e.redriveDate } : {}),
      ...redrive,
      ...mapRun,
    };
  }

  redriveExecution(input: api.RedriveExecutionInput): Promise<api.RedriveExecutionOutput> {
    return redriveExecution(this.rt, input);
  }

  async stopExecution(input: api.StopExecutionInput): Promise<api.StopExecutionOutput> {
    const e = await this.execution(input.executionArn);
    if (e.status === 'RUNNING') {
      await this.rt.store.signals.insert(e.id, {
        kind: 'stop', ...(input.error !== undefined ? { error: input.error } : {}), ...(input.cause !== undefined ? { cause: input.cause } : {}),
      });
      // Applied right here so that DescribeExecution shows ABORTED as soon as StopExecution returns.
      await this.transitions.run(e.id);
    }
    const after = await this.execution(input.executionArn);
    return { stopDate: after.stopDate ?? new Date(this.rt.clock.now()) };
  }

  async getExecutionHistory(input: api.GetExecutionHistoryInput): Promise<api.GetExecutionHistoryOutput> {
    const e = await this.execution(input.executionArn);
    const scope = `h:${e.id}:${input.reverseOrder ? 'r' : 'f'}`;
    const { items, nextToken } = await this.pages.page(scope, input, (range) =>
      this.rt.store.history.list(e.id, { ...range, reverse: input.reverseOrder === true }));
    const include = input.includeExecutionData !== false;
    return {
      events: items.map((ev) => toApiEvent(ev, include)),
      ...(nextToken !== undefined ? { nextToken } : {}),
    };
  }

  async listExecutions(input: api.ListExecutionsInput): Promise<api.ListExecutionsOutput> {
    if (input.mapRunArn !== undefined && input.stateMachineArn !== undefined) {
      throw new ApiError('ValidationException', 'Must specify either stateMachineArn or mapRunArn, not both');
    }
    if (input.mapRunArn !== undefined) return this.mapRunActions.listChildren({ ...input, mapRunArn: input.mapRunArn });
    if (input.stateMachineArn === undefined) {
      throw new ApiError('MissingRequiredParameter', 'Must specify either stateMachineArn or mapRunArn');
    }
    const where = await listingScope(this.ctx, input.stateMachineArn);
    const redriven = input.redriveFilter === undefined ? undefined : input.redriveFilter === 'REDRIVEN';
    const scope = `e:${input.stateMachineArn}:${input.statusFilter ?? ''}:${input.redriveFilter ?? ''}`;
    const { items, nextToken } = await this.pages.page(scope, input, (range) => this.rt.store.executions.list(
      { ...where, ...(input.statusFilter ? { status: input.statusFilter } : {}), ...(redriven !== undefined ? { redriven } : {}) }, range,
    ));
    return {
      executions: items.map((r) => ({
        executionArn: r.arn, stateMachineArn: r.stateMachineArn, name: r.name, status: r.status, startDate: r.startDate,
        ...(r.stopDate ? { stopDate: r.stopDate } : {}), ...executionOrigin(r), redriveCount: r.redriveCount,
        ...(r.redriveDate !== null ? { redriveDate: r.redriveDate } : {}),
      })),
      ...(nextToken !== undefined ? { nextToken } : {}),
    };
  }

  // ------------------------------------------------------------------------------------ task tokens

  async sendTaskSuccess(input: api.SendTaskSuccessInput): Promise<api.SendTaskSuccessOutput> {
    let output: Json;
    try {
      output = JSON.parse(input.output) as Json;
    } catch {
      throw new ApiError('InvalidOutput', `Invalid Output: '${input.output}'`);
    }
    const depth = nestingBeyond(output);
    if (depth !== undefined) throw new ApiError('InvalidOutput', `Invalid Output: '${nestingDepthMessage(depth)}'`);
    await answerTask(this.rt, input.taskToken, { kind: 'success', output }, this.transitions);
    return {};
  }

  async sendTaskFailure(input: api.SendTaskFailureInput): Promise<api.SendTaskFailureOutput> {
    await answerTask(this.rt, input.taskToken, {
      kind: 'failure', ...(input.error !== undefined ? { error: input.error } : {}), ...(input.cause !== undefined ? { cause: input.cause } : {}),
    }, this.transitions);
    return {};
  }

  async sendTaskHeartbeat(input: api.SendTaskHeartbeatInput): Promise<api.SendTaskHeartbeatOutput> {
    await answerTask(this.rt, input.taskToken, { kind: 'heartbeat' }, this.transitions);
    return {};
  }

  // ------------------------------------------------------------------------------------ activities

  async createActivity(input: api.CreateActivityInput): Promise<api.CreateActivityOutput> {
    api.assertValidName(input.name);
    const encryptionConfiguration = checkedEncryption(input.encryptionConfiguration);
    const arn = api.activityArn(this.scope, input.name);
    const now = new Date(this.rt.clock.now());
    const created = await this.rt.store.transaction(async (tx) => {
      if (!(await tx.activities.insert({ arn, name: input.name, createdAt: now, encryptionConfiguration }))) return false;
      await tx.tags.put(arn, machines.dedupeTags(input.tags));
      return true;
    });
    if (created) return { activityArn: arn, creationDate: now };
    // AWS: CreateActivity is idempotent.
    const existing = await this.rt.store.activities.get(arn);
    return { activityArn: arn, creationDate: existing?.createdAt ?? now };
  }

  async describeActivity(input: api.DescribeActivityInput): Promise<api.DescribeActivityOutput> {
    const a = await this.activity(input.activityArn);
    return { activityArn: a.arn, name: a.name, creationDate: a.createdAt, ...shownEncryption(a.encryptionConfiguration) };
  }

  async deleteActivity(input: api.DeleteActivityInput): Promise<api.DeleteActivityOutput> {
    const arn = api.parseActivityArn(input.activityArn).arn;
    await this.rt.store.activities.delete(arn);
    return {};
  }

  async listActivities(input: api.ListActivitiesInput): Promise<api.ListActivitiesOutput> {
    const { items, nextToken } = await this.pages.page('act', input, (range) => this.rt.store.activities.list(range));
    return {
      activities: items.map((a) => ({ activityArn: a.arn, name: a.name, creationDate: a.createdAt })),
      ...(nextToken !== undefined ? { nextToken } : {}),
    };
  }

  async getActivityTask(input: api.GetActivityTaskInput, signal?: AbortSignal): Promise<api.GetActivityTaskOutput> {
    // Whether the activity exists is checked by the poll's first take, in the same statement (activity-poller.ts).
    api.parseActivityArn(input.activityArn);
    return this.activities.poll(input.activityArn, input.workerName, signal);
  }

  // ------------------------------------------------------------------------------------ tags

  async tagResource(input: api.TagResourceInput): Promise<api.TagResourceOutput> {
    await this.taggable(input.resourceArn);
    const tags = machines.dedupeTags(input.tags);
    await this.rt.store.transaction(async (tx) => {
      const existing = new Set((await tx.tags.list(input.resourceArn)).map((t) => t.key));
      for (const t of tags) existing.add(t.key);
      if (existing.size > MAX_TAGS) throw new ApiError('TooManyTags', `Too many tags: a resource can have at most ${MAX_TAGS} tags.`);
      await tx.tags.put(input.resourceArn, tags);
    });
    return {};
  }

  async untagResource(input: api.UntagResourceInput): Promise<api.UntagResourceOutput> {
    await this.taggable(input.resourceArn);
    await this.rt.store.tags.remove(input.resourceArn, input.tagKeys);
    return {};
  }

  async listTagsForResource(input: api.ListTagsForResourceInput): Promise<api.ListTagsForResourceOutput> {
    await this.taggable(input.resourceArn);
    return { tags: (await this.rt.store.tags.list(input.resourceArn)).map((t) => ({ key: t.key, value: t.value })) };
  }

  // ------------------------------------------------------------------------------------ map runs

  listMapRuns(input: api.ListMapRunsInput): Promise<api.ListMapRunsOutput> {
    return this.mapRunActions.listMapRuns(input);
  }

  describeMapRun(input: api.DescribeMapRunInput): Promise<api.DescribeMapRunOutput> {
    return this.mapRunActions.describeMapRun(input);
  }

  updateMapRun(input: api.UpdateMapRunInput): Promise<api.UpdateMapRunOutput> {
    return this.mapRunActions.updateMapRun(input);
  }


  // ------------------------------------------------------------------------------------ beyond the SFN API (REST)

  getExecutionEvents(input: api.GetExecutionEventsInput): Promise<api.GetExecutionEventsOutput> {
    return this.consoleActions.getExecutionEvents(input);
  }

  listWaitingTasks(input: api.ListWaitingTasksInput): Promise<api.ListWaitingTasksOutput> {
    return this.consoleActions.listWaitingTasks(input);
  }

  completeWaitingTask(input: api.CompleteWaitingTaskInput): Promise<api.CompleteWaitingTaskOutput> {
    return this.consoleActions.completeWaitingTask(input);
  }

  searchExecutions(input: api.SearchExecutionsInput): Promise<api.SearchExecutionsOutput> {
    return this.consoleActions.searchExecutions(input);
  }

  // ------------------------------------------------------------------------------------ helpers

  private parseInput(text: string): Json {
    let value: Json;
    try {
      value = JSON.parse(text) as Json;
    } catch (e) {
      throw new ApiError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${e instanceof Error ? e.message : String(e)}'`);
    }
    const depth = nestingBeyond(value);
    if (depth !== undefined) throw new ApiError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${nestingDepthMessage(depth)}'`);
    const limit = this.rt.options.limits.payloadBytes ?? 262_144;
    if (jsonByteLength(value) > limit) {
      throw new ApiError('InvalidExecutionInput', `Invalid State Machine Execution Input: 'The input exceeds the maximum size of ${limit} bytes'`);
    }
    return value;
  }

  private context(target: ExecutionTarget, arn: string, name: string, startMs: number) {
    const sm = target.sm;
    return {
      executionArn: arn, executionName: name, stateMachineArn: sm.arn, stateMachineName: sm.name, roleArn: target.roleArn,
      startTime: new Date(startMs).toISOString(), region: this.scope.region, partition: this.scope.partition,
    };
  }

  private async execution(arn: string): Promise<ExecutionSummary> {
    api.parseExecutionArn(arn);
    const e = await this.rt.store.executions.getSummaryByArn(arn);
    if (!e) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return e;
  }

  private async activity(arn: string) {
    api.parseActivityArn(arn);
    const a = await this.rt.store.activities.get(arn);
    if (!a) throw new ApiError('ActivityDoesNotExist', `Activity Does Not Exist: '${arn}'`);
    return a;
  }

  private async taggable(arn: string): Promise<void> {
    const parsed = api.parseArn(arn);
    const exists = parsed.resourceType === 'stateMachine' && parsed.qualifier === undefined
      ? await this.rt.store.stateMachines.get(arn)
      : parsed.resourceType === 'activity' ? await this.rt.store.activities.get(arn) : undefined;
    if (!exists) throw new ApiError('ResourceNotFound', `Resource not found: '${arn}'`);
  }
}
