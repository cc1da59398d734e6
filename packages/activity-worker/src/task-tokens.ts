/**
 * `TaskTokens`: answer a task token from anywhere (a webhook, a queue consumer, a person clicking a button): the
 * tokens of `.waitForTaskToken` callbacks, or of activity tasks handed on. The same serialisation and limits as the
 * worker's own reports (see report.ts).
 */
import {
  SFNClient, SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand, type SFNClientConfig,
} from '@aws-sdk/client-sfn';
import { failure, failureOf, NamedError, serialiseOutput } from './report.js';

/** How to reach the Step Functions API: a client configuration, or a client of your own. */
export interface SfnConnectionOptions {
  /**
   * The configuration of the `SFNClient` to create, e.g. `{ endpoint: 'http://127.0.0.1:8080', region: 'us-east-1',
   * credentials }` for Baton, or `{ region }` for AWS (credentials from the usual AWS chain). The created client is
   * destroyed when the worker stops (or on `TaskTokens.destroy()`).
   *
   * Give `sfn` or `client`, not both. With neither, a client with the SDK's defaults is created (region and
   * credentials from the environment), which is what you want on AWS.
   */
  sfn?: SFNClientConfig;

  /**
   * A client you created and keep: it is used as is and never destroyed by this package. Give `sfn` or `client`,
   * not both.
   */
  client?: SFNClient;
}

/** The client to use, and whether this package created it (and so destroys it). */
export function connect(options: SfnConnectionOptions, who: string): { client: SFNClient; owned: boolean } {
  if (options.sfn !== undefined && options.client !== undefined) {
    throw new TypeError(`${who}: give either \`sfn\` (a client configuration) or \`client\` (an SFNClient), not both`);
  }
  if (options.client !== undefined) {
    // Duck-typed: a client from another copy of @aws-sdk/client-sfn is not `instanceof` this one's SFNClient.
    if (typeof (options.client as { send?: unknown } | null)?.send !== 'function') {
      throw new TypeError(`${who}: \`client\` must be an SFNClient from @aws-sdk/client-sfn`);
    }
    return { client: options.client, owned: false };
  }
  return { client: new SFNClient(options.sfn ?? {}), owned: true };
}

export class TaskTokens {
  private readonly client: SFNClient;
  private readonly owned: boolean;

  constructor(options: SfnConnectionOptions = {}) {
    refuseUnknown(options, ['sfn', 'client'], 'TaskTokens');
    ({ client: this.client, owned: this.owned } = connect(options, 'TaskTokens'));
  }

  /**
   * SendTaskSuccess with `output` serialised as JSON (`undefined` is `null`). Throws an `ActivityWorker.InvalidOutput`
   * error, without calling the API, when the output is not JSON or is longer than the API accepts; API errors are
   * the SDK's (`TaskTimedOut`, `TaskDoesNotExist`, `InvalidToken`, ...).
   */
  async complete(taskToken: string, output: unknown): Promise<void> {
    const serialised = serialiseOutput(output);
    if (!serialised.ok) throw new NamedError(serialised.failure.error, serialised.failure.cause);
    await this.client.send(new SendTaskSuccessCommand({ taskToken, output: serialised.output }));
  }

  /**
   * SendTaskFailure. `error` is an error name, or an Error whose `name` and `message` become `error` and `cause`
   * (an explicit `cause` wins). Both are cut to the API's limits (256 and 32,768 characters).
   */
  async fail(taskToken: string, error: string | Error, cause?: string): Promise<void> {
    const f = typeof error === 'string' ? failure(error, cause) : cause !== undefined ? failure(error.name, cause) : failureOf(error);
    await this.client.send(new SendTaskFailureCommand({ taskToken, error: f.error, cause: f.cause }));
  }

  /** SendTaskHeartbeat: the task is alive (resets its HeartbeatSeconds clock). */
  async heartbeat(taskToken: string): Promise<void> {
    await this.client.send(new SendTaskHeartbeatCommand({ taskToken }));
  }

  /** Destroys the client if this object created it (from `sfn`); a client you passed in is left alone. */
  destroy(): void {
    if (this.owned) this.client.destroy();
  }
}

/** Refuses option names this package does not know, so that a misspelt option is never silently ignored. */
export function refuseUnknown(options: object, known: readonly string[], who: string): void {
  const unknown = Object.keys(options).filter((k) => !known.includes(k));
  if (unknown.length > 0) {
    throw new TypeError(`${who}: unknown option${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `\`${k}\``).join(', ')} (known: ${known.join(', ')})`);
  }
}
