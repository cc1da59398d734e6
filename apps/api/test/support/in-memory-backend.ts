/**
 * A tiny in-test `SfnBackend`, NOT the engine: it exists so the API layer (wire protocol, request validation,
 * error mapping, authentication, REST) can be tested through the real AWS SDK before/without Postgres. It keeps
 * state machines and executions in maps, records every call it receives, and lets a test make a method throw.
 */
import {
  ApiError,
  DEFAULT_ARN_SCOPE,
  executionArnFor,
  parseExecutionArn,
  parseStateMachineArn,
  stateMachineArn,
  assertValidName,
  type CreateStateMachineInput,
  type DescribeActivityOutput,
  type DescribeExecutionOutput,
  type DescribeStateMachineOutput,
  type SfnBackend,
} from '@baton/api-contract';

type Calls = Array<{ method: string; input: unknown }>;

export class InMemoryBackend implements SfnBackend {
  readonly calls: Calls = [];
  readonly machines = new Map<string, DescribeStateMachineOutput>();
  readonly executions = new Map<string, DescribeExecutionOutput>();
  /** Make the next call of a method fail with this error. */
  readonly failNext = new Map<string, unknown>();
  lastActivityPollAborted = false;

  private record(method: string, input: unknown): void {
    this.calls.push({ method, input });
    const failure = this.failNext.get(method);
    if (failure !== undefined) {
      this.failNext.delete(method);
      throw failure;
    }
  }

  async createStateMachine(input: CreateStateMachineInput) {
    this.record('createStateMachine', input);
    assertValidName(input.name);
    const arn = stateMachineArn(DEFAULT_ARN_SCOPE, input.name);
    if (this.machines.has(arn)) throw new ApiError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
    const creationDate = new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 678));
    this.machines.set(arn, {
      stateMachineArn: arn,
      name: input.name,
      status: 'ACTIVE',
      definition: input.definition,
      roleArn: input.roleArn,
      type: input.type ?? 'STANDARD',
      creationDate,
    });
    return { stateMachineArn: arn, creationDate };
  }

  async describeStateMachine(input: { stateMachineArn: string }) {
    this.record('describeStateMachine', input);
    return this.machine(input.stateMachineArn);
  }

  async updateStateMachine(input: { stateMachineArn: string }) {
    this.record('updateStateMachine', input);
    this.machine(input.stateMachineArn);
    return { updateDate: new Date() };
  }

  async deleteStateMachine(input: { stateMachineArn: string }) {
    this.record('deleteStateMachine', input);
    this.machines.delete(input.stateMachineArn);
    return {};
  }

  async listStateMachines(input: object) {
    this.record('listStateMachines', input);
    return {
      stateMachines: [...this.machines.values()].map((m) => ({
        stateMachineArn: m.stateMachineArn,
        name: m.name,
        type: m.type,
        creationDate: m.creationDate,
      })),
    };
  }

  async describeStateMachineForExecution(input: { executionArn: string }) {
    this.record('describeStateMachineForExecution', input);
    const e = this.execution(input.executionArn);
    const m = this.machine(e.stateMachineArn);
    return { ...m, updateDate: m.creationDate };
  }

  async startExecution(input: { stateMachineArn: string; name?: string; input?: string }) {
    this.record('startExecution', input);
    this.machine(input.stateMachineArn);
    if (input.name !== undefined) assertValidName(input.name);
    const arn = executionArnFor(input.stateMachineArn, input.name ?? `exec-${this.executions.size + 1}`);
    const startDate = new Date();
    this.executions.set(arn, {
      executionArn: arn,
      stateMachineArn: input.stateMachineArn,
      name: parseExecutionArn(arn).executionName,
      status: 'RUNNING',
      startDate,
      input: input.input ?? '{}',
      inputDetails: { included: true },
    });
    return { executionArn: arn, startDate };
  }

  async startSyncExecution(input: { stateMachineArn: string; input?: string }) {
    this.record('startSyncExecution', input);
    const m = this.machine(input.stateMachineArn);
    if (m.type !== 'EXPRESS') {
      throw new ApiError('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine');
    }
    const now = new Date();
    return {
      executionArn: `${input.stateMachineArn.replace(':stateMachine:', ':express:')}:sync:1`,
      stateMachineArn: input.stateMachineArn,
      startDate: now,
      stopDate: now,
      status: 'SUCCEEDED' as const,
      output: input.input ?? '{}',
    };
  }

  async describeExecution(input: { executionArn: string }) {
    this.record('describeExecution', input);
    return this.execution(input.executionArn);
  }

  async stopExecution(input: { executionArn: string }) {
    this.record('stopExecution', input);
    const e = this.execution(input.executionArn);
    const stopDate = new Date();
    this.executions.set(e.executionArn, { ...e, status: 'ABORTED', stopDate });
    return { stopDate };
  }

  async redriveExecution(input: { executionArn: string }) {
    this.record('redriveExecution', input);
    const e = this.execution(input.executionArn);
    if (e.status === 'RUNNING' || e.status === 'SUCCEEDED') {
      throw new ApiError('ExecutionNotRedrivable', `Execution '${e.executionArn}' cannot be redriven: Execution is ${e.status} and cannot be redriven`);
    }
    const redriveDate = new Date();
    this.executions.set(e.executionArn, { ...e, status: 'RUNNING' });
    return { redriveDate };
  }

  async getExecutionHistory(input: { executionArn: string }) {
    this.record('getExecutionHistory', input);
    const e = this.execution(input.executionArn);
    return {
      events: [
        {
          id: 1,
          previousEventId: 0,
          type: 'ExecutionStarted' as const,
          timestamp: e.startDate,
          executionStartedEventDetails: { input: e.input, inputDetails: { truncated: false }, roleArn: 'arn:aws:iam::123456789012:role/r' },
        },
      ],
    };
  }

  async listExecutions(input: object) {
    this.record('listExecutions', input);
    return { executions: [...this.executions.values()].map(({ input: _i, inputDetails: _d, ...item }) => ({ ...item, name: item.name ?? '' })) };
  }

  async sendTaskSuccess(input: object) {
    this.record('sendTaskSuccess', input);
    return {};
  }

  async sendTaskFailure(input: object) {
    this.record('sendTaskFailure', input);
    return {};
  }

  async sendTaskHeartbeat(input: object) {
    this.record('sendTaskHeartbeat', input);
    return {};
  }

  async createActivity(input: { name: string }) {
    this.record('createActivity', input);
    assertValidName(input.name);
    return { activityArn: `arn:aws:states:us-east-1:123456789012:activity:${input.name}`, creationDate: new Date() };
  }

  async describeActivity(input: { activityArn: string }): Promise<DescribeActivityOutput> {
    this.record('describeActivity', input);
    throw new ApiError('ActivityDoesNotExist', `Activity Does Not Exist: '${input.activityArn}'`);
  }

  async deleteActivity(input: object) {
    this.record('deleteActivity', input);
    return {};
  }

  async listActivities(input: object) {
    this.record('listActivities', input);
    return { activities: [] };
  }

  /** Waits until aborted (the client went away or the server closed) or 5 s pass, then answers "no task". */
  async getActivityTask(input: object, signal?: AbortSignal) {
    this.record('getActivityTask', input);
    this.lastActivityPollAborted = false;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 5000);
      signal?.addEventListener('abort', () => {
        this.lastActivityPollAborted = true;
        clearTimeout(timer);
        resolve();
      });
    });
    return {};
  }

  async tagResource(input: object) {
    this.record('tagResource', input);
    return {};
  }

  async untagResource(input: object) {
    this.record('untagResource', input);
    return {};
  }

  async listTagsForResource(input: object) {
    this.record('listTagsForResource', input);
    return { tags: [{ key: 'k', value: 'v' }] };
  }

  async listMapRuns(input: object) {
    this.record('listMapRuns', input);
    return { mapRuns: [] };
  }

  async describeMapRun(input: { mapRunArn: string }): Promise<never> {
    this.record('describeMapRun', input);
    throw new ApiError('ResourceNotFound', `Resource not found: '${input.mapRunArn}'`);
  }

  async updateMapRun(input: object) {
    this.record('updateMapRun', input);
    return {};
  }

  private machine(arn: string): DescribeStateMachineOutput {
    parseStateMachineArn(arn);
    const m = this.machines.get(arn);
    if (!m) throw new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return m;
  }

  private execution(arn: string): DescribeExecutionOutput {
    parseExecutionArn(arn);
    const e = this.executions.get(arn);
    if (!e) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return e;
  }
}
