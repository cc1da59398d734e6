/**
 * A minimal AWS Step Functions endpoint for tests, until Baton's own API exists: AWS JSON 1.0
 * (`X-Amz-Target: AWSStepFunctions.<Action>`), following the Step Functions API reference pages "StartExecution"
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html),
 * "DescribeExecution" (API_DescribeExecution.html) and "SendTaskSuccess"/"SendTaskFailure" (InvalidToken for a
 * token it never issued). Child executions run in memory through `runLocal` from @baton/asl, with a task handler
 * the test supplies; the errors use the service's `__type` spelling (`...#StateMachineDoesNotExist`).
 */
import { randomUUID } from 'node:crypto';
import { runLocal, type Json, type JsonObject, type LocalRunOptions } from '@baton/asl';
import { jsonError, jsonReply, listen, type RunningServer } from './http-util.js';

const CT = 'application/x-amz-json-1.0';
const TARGET = 'AWSStepFunctions.';
const MODEL = 'com.amazonaws.swf.service.v2.model#';

interface Execution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  status: string;
  startDate: number;
  stopDate?: number;
  input: string;
  output?: string;
  error?: string;
  cause?: string;
}

export interface SfnTestServer extends RunningServer {
  defineStateMachine(arn: string, definition: JsonObject, taskHandler?: LocalRunOptions['taskHandler']): void;
  readonly executions: Map<string, Execution>;
  /** Resolves when every started child execution has finished. */
  settled(): Promise<void>;
}

export async function startSfnServer(): Promise<SfnTestServer> {
  const machines = new Map<string, { definition: JsonObject; taskHandler?: LocalRunOptions['taskHandler'] }>();
  const executions = new Map<string, Execution>();
  const runningChildren = new Set<Promise<void>>();

  const running = await listen((req, body, res) => {
    const requestId = randomUUID();
    const target = String(req.headers['x-amz-target'] ?? '');
    const input = (body ? JSON.parse(body) : {}) as Record<string, any>;
    switch (target.slice(TARGET.length)) {
      case 'StartExecution': {
        const machine = machines.get(String(input.stateMachineArn));
        if (!machine) {
          return jsonError(res, 400, CT, `${MODEL}StateMachineDoesNotExist`, `State Machine Does Not Exist: '${input.stateMachineArn}'`, requestId);
        }
        const name = typeof input.name === 'string' ? input.name : randomUUID();
        const arn = String(input.stateMachineArn).replace(':stateMachine:', ':execution:') + `:${name}`;
        if (executions.has(arn)) return jsonError(res, 400, CT, `${MODEL}ExecutionAlreadyExists`, `Execution Already Exists: '${arn}'`, requestId);
        const text = typeof input.input === 'string' ? input.input : '{}';
        const execution: Execution = { executionArn: arn, stateMachineArn: String(input.stateMachineArn), name, status: 'RUNNING', startDate: Date.now() / 1000, input: text };
        executions.set(arn, execution);
        const child = runLocal(machine.definition, {
          input: JSON.parse(text) as Json,
          ...(machine.taskHandler ? { taskHandler: machine.taskHandler } : {}),
          context: { executionArn: arn, executionName: name, stateMachineArn: execution.stateMachineArn },
        }).then(
          (result) => {
            execution.status = result.status;
            if (result.output !== undefined) execution.output = JSON.stringify(result.output);
            if (result.error !== undefined) execution.error = result.error;
            if (result.cause !== undefined) execution.cause = result.cause;
          },
          (err: unknown) => {
            execution.status = 'FAILED';
            execution.error = 'States.Runtime';
            execution.cause = String(err);
          },
        ).finally(() => {
          execution.stopDate = Date.now() / 1000;
          runningChildren.delete(child);
        });
        runningChildren.add(child);
        return jsonReply(res, CT, { executionArn: arn, startDate: execution.startDate }, requestId);
      }
      case 'DescribeExecution': {
        const e = executions.get(String(input.executionArn));
        if (!e) return jsonError(res, 400, CT, `${MODEL}ExecutionDoesNotExist`, `Execution Does Not Exist: '${input.executionArn}'`, requestId);
        return jsonReply(res, CT, {
          executionArn: e.executionArn,
          stateMachineArn: e.stateMachineArn,
          name: e.name,
          status: e.status,
          startDate: e.startDate,
          ...(e.stopDate !== undefined && e.status !== 'RUNNING' ? { stopDate: e.stopDate } : {}),
          input: e.input,
          inputDetails: { included: true },
          ...(e.output !== undefined ? { output: e.output, outputDetails: { included: true } } : {}),
          ...(e.error !== undefined ? { error: e.error } : {}),
          ...(e.cause !== undefined ? { cause: e.cause } : {}),
          redriveCount: 0,
          redriveStatus: 'NOT_REDRIVABLE',
          redriveStatusReason: `Execution is ${e.status} and cannot be redriven`,
        }, requestId);
      }
      case 'SendTaskSuccess':
      case 'SendTaskFailure':
      case 'SendTaskHeartbeat':
        return jsonError(res, 400, CT, `${MODEL}InvalidToken`, `Invalid Token: '${String(input.taskToken)}'`, requestId);
      default:
        return jsonError(res, 400, CT, 'UnknownOperationException', `Unsupported operation ${target}`, requestId);
    }
  });

  return {
    endpoint: running.endpoint,
    close: running.close,
    executions,
    defineStateMachine: (arn, definition, taskHandler) => void machines.set(arn, { definition, ...(taskHandler ? { taskHandler } : {}) }),
    settled: async () => {
      while (runningChildren.size > 0) await Promise.all([...runningChildren]);
    },
  };
}
