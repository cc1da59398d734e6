/**
 * A Task's `Credentials` (AWS developer guide, "Task workflow state": `Credentials` names the IAM role Step
 * Functions assumes for the task, `RoleArn` or `RoleArn.$` / a JSONata expression, evaluated by the interpreter
 * before the call). Baton assumes it with STS AssumeRole through its own credentials and signs that task's calls
 * with the temporary credentials:
 * - `ExternalId` is the state machine's ARN, as the developer guide's cross-account trust policies expect
 *   ("Cross-account access for .sync integration pattern": `sts:ExternalId` = the state machine ARN);
 * - `RoleSessionName` is derived from the execution's name (AssumeRole allows 2-64 characters of `[\w+=,.@-]`);
 * - the credentials are cached per role, session and external id until shortly before they expire;
 * - a failed AssumeRole fails the task with States.TaskFailed, the cause quoting STS's answer in the SDK
 *   integrations' format (no AWS page names the error; States.TaskFailed is what Retry and Catch rules written
 *   for task failures match).
 * Clients signed with one set of credentials are kept in a small LRU and closed when evicted.
 */
import { AssumeRoleCommand, STSServiceException } from '@aws-sdk/client-sts';
import { isJsonObject, type Json } from '@baton/asl';
import { ClientFactory } from './clients.js';
import type { TaskInvokerOptions } from './options.js';
import type { TaskRequest, TaskResult } from './port.js';
import { callSdk } from './sdk-call.js';
import { mapSdkError, type ErrorNaming } from './service-errors.js';
import { failed } from './task-context.js';

const STS_ERRORS: ErrorNaming = { style: 'aws-sdk', prefix: 'Sts', serviceLabel: 'Sts', undeclared: 'StsException', baseException: STSServiceException };
const ROLE_ARN = /^arn:[\w-]+:iam::\d{12}:role\/[\w+=,.@/-]+$/;
const MAX_CREDENTIALS = 1_000;
const MAX_SCOPED_FACTORIES = 32;

interface Cached {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
}

/** The role a Task's evaluated `Credentials` names, or a States.Runtime result for anything else. */
export function roleArnOf(credentials: Json): string | TaskResult {
  if (!isJsonObject(credentials)) return failed('States.Runtime', 'The Task field Credentials must evaluate to an object with a RoleArn');
  const unknown = Object.keys(credentials).filter((k) => k !== 'RoleArn');
  if (unknown.length > 0) return failed('States.Runtime', `The Task field Credentials does not support ${unknown.map((k) => `'${k}'`).join(', ')} (only RoleArn)`);
  const arn = credentials.RoleArn;
  if (typeof arn !== 'string' || !ROLE_ARN.test(arn)) {
    return failed('States.Runtime', `The Task field Credentials.RoleArn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), got ${JSON.stringify(arn)}`);
  }
  return arn;
}

/** `RoleSessionName` from the execution ARN's last part (the execution name). */
export function sessionNameOf(executionArn: string): string {
  const name = (executionArn.split(':').pop() ?? '').replace(/[^\w+=,.@-]/g, '-');
  const padded = name.length >= 2 ? name : `execution-${name}`;
  return padded.slice(0, 64);
}

export class AssumedRoles {
  private readonly credentials = new Map<string, Cached>();
  private readonly factories = new Map<string, ClientFactory>();

  constructor(private readonly base: ClientFactory, private readonly options: TaskInvokerOptions) {}

  /** The client factory signing with `roleArn`'s credentials for this task, or the task's failure. */
  async clientsFor(req: TaskRequest, roleArn: string, signal: AbortSignal): Promise<ClientFactory | TaskResult> {
    const creds = await this.assume(req, roleArn, signal);
    if (!('accessKeyId' in creds)) return creds;
    let factory = this.factories.get(creds.accessKeyId);
    if (factory) {
      this.factories.delete(creds.accessKeyId);
    } else {
      factory = this.base.withCredentials({ ...creds });
      if (this.factories.size >= MAX_SCOPED_FACTORIES) {
        const [oldestKey, oldest] = this.factories.entries().next().value!;
        this.factories.delete(oldestKey);
        oldest.destroy();
      }
    }
    this.factories.set(creds.accessKeyId, factory); // most recently used last
    return factory;
  }

  destroy(): void {
    for (const f of this.factories.values()) f.destroy();
    this.factories.clear();
    this.credentials.clear();
  }

  private async assume(req: TaskRequest, roleArn: string, signal: AbortSignal): Promise<Cached | TaskResult> {
    const session = sessionNameOf(req.executionArn);
    const key = `${roleArn}|${session}|${req.stateMachineArn}`;
    const cached = this.credentials.get(key);
    const margin = this.options.assumeRole?.refreshBeforeExpiryMs ?? 5 * 60_000;
    if (cached && cached.expiration.getTime() - margin > Date.now()) return cached;
    const result = await this.callSts(req, roleArn, session, signal);
    if ('accessKeyId' in result) {
      if (this.credentials.size >= MAX_CREDENTIALS) this.credentials.delete(this.credentials.keys().next().value!);
      this.credentials.set(key, result);
    }
    return result;
  }

  private async callSts(req: TaskRequest, roleArn: string, session: string, signal: AbortSignal): Promise<Cached | TaskResult> {
    const command = new AssumeRoleCommand({
      RoleArn: roleArn,
      RoleSessionName: session,
      ExternalId: req.stateMachineArn,
      DurationSeconds: this.options.assumeRole?.durationSeconds ?? 3600,
    });
    const call = await callSdk(this.base.get('sts', req.region), command, signal);
    if (!call.ok) {
      const e = mapSdkError(call.error, STS_ERRORS, call.http);
      return failed('States.TaskFailed', `Unable to assume the role ${roleArn} given in the Task's Credentials: ${e.error}: ${e.cause ?? ''}`);
    }
    const c = (call.output as { Credentials?: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string; Expiration?: Date } }).Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !(c.Expiration instanceof Date)) {
      return failed('States.TaskFailed', `Unable to assume the role ${roleArn} given in the Task's Credentials: STS returned no credentials`);
    }
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
  }
}
