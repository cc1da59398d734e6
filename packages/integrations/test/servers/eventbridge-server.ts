/**
 * A minimal Amazon EventBridge endpoint for tests, in the AWS JSON 1.1 protocol (`X-Amz-Target:
 * AWSEvents.<Action>`), following the EventBridge API reference pages:
 * - "PutEvents" (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html): 1 to 10 entries
 *   (else ValidationException); each accepted entry gets an `EventId`, each refused one an `ErrorCode` and
 *   `ErrorMessage` in its place of `Entries` ("InvalidArgument" for a missing Source / DetailType / Detail,
 *   "MalformedDetail" for a Detail that is not a JSON object), counted in `FailedEntryCount`; an unknown event bus
 *   answers ResourceNotFoundException;
 * - "CreateEventBus"; "CreateConnection" (API_CreateConnection.html) stores the connection's secret values in the
 *   linked Secrets Manager test server, as EventBridge does, and answers `ConnectionArn`, `ConnectionState`;
 * - "DescribeConnection" (API_DescribeConnection.html): the connection with its secret values left out
 *   (`ApiKeyValue`, `Password`, `ClientSecret`, and the `Value` of parameters marked `IsValueSecret`), its
 *   `ConnectionState` and `SecretArn`; ResourceNotFoundException for an unknown name.
 * Every PutEvents entry accepted is kept (with the key that signed the call) for tests to read.
 */
import { randomUUID } from 'node:crypto';
import { callerOf, jsonError, jsonReply, jsonTarget, listen, type Caller, type RunningServer } from './http-util.js';
import type { SecretsManagerTestServer } from './secretsmanager-server.js';

const CT = 'application/x-amz-json-1.1';

export interface PutEvent extends Caller {
  EventBusName: string;
  Source: string;
  DetailType: string;
  Detail: string;
  Resources: string[];
}

interface Connection {
  arn: string;
  name: string;
  state: string;
  authorizationType: string;
  authParameters: Record<string, any>;
  secretArn: string;
}

export interface EventBridgeTestServer extends RunningServer {
  readonly events: PutEvent[];
  /** Sets a connection's state (DEAUTHORIZED, ...). */
  setConnectionState(name: string, state: string): void;
}

type Json = Record<string, any>;

/** The connection's AuthParameters without secret values (DescribeConnection), and the secret values alone. */
function split(auth: Json): { shown: Json; secret: Json } {
  const shown: Json = {};
  const secret: Json = {};
  const params = (p: Json | undefined, into: Json, hidden: Json, key: string) => {
    if (!p) return;
    for (const [list, entries] of Object.entries(p)) {
      (into[key] ??= {})[list] = (entries as Json[]).map((e) => (e.IsValueSecret ? { Key: e.Key, IsValueSecret: true } : e));
      const secrets = (entries as Json[]).filter((e) => e.IsValueSecret);
      if (secrets.length > 0) ((hidden[key] ??= {})[list] = secrets);
    }
  };
  if (auth.ApiKeyAuthParameters) {
    shown.ApiKeyAuthParameters = { ApiKeyName: auth.ApiKeyAuthParameters.ApiKeyName };
    secret.ApiKeyAuthParameters = { ApiKeyValue: auth.ApiKeyAuthParameters.ApiKeyValue };
  }
  if (auth.BasicAuthParameters) {
    shown.BasicAuthParameters = { Username: auth.BasicAuthParameters.Username };
    secret.BasicAuthParameters = { Password: auth.BasicAuthParameters.Password };
  }
  if (auth.OAuthParameters) {
    const { ClientParameters, OAuthHttpParameters, ...rest } = auth.OAuthParameters as Json;
    shown.OAuthParameters = { ...rest, ClientParameters: { ClientID: ClientParameters.ClientID } };
    secret.OAuthParameters = { ClientParameters: { ClientSecret: ClientParameters.ClientSecret } };
    params(OAuthHttpParameters, shown.OAuthParameters, secret.OAuthParameters, 'OAuthHttpParameters');
  }
  params(auth.InvocationHttpParameters, shown, secret, 'InvocationHttpParameters');
  return { shown, secret };
}

export async function startEventBridgeServer(secretsManager: SecretsManagerTestServer, region = 'us-east-1', account = '123456789012'): Promise<EventBridgeTestServer> {
  const buses = new Set(['default']);
  const connections = new Map<string, Connection>();
  const events: PutEvent[] = [];

  const putEvents = (input: Json, caller: Caller) => {
    const entries = Array.isArray(input.Entries) ? (input.Entries as Json[]) : [];
    const results: Json[] = [];
    for (const e of entries) {
      const missing = ['Source', 'DetailType', 'Detail'].find((k) => typeof e[k] !== 'string' || e[k] === '');
      if (missing) {
        results.push({ ErrorCode: 'InvalidArgument', ErrorMessage: `Parameter ${missing} is not valid. Reason: ${missing} is a required argument.` });
        continue;
      }
      let detail: unknown;
      try {
        detail = JSON.parse(e.Detail);
      } catch {
        detail = undefined;
      }
      if (detail === null || typeof detail !== 'object' || Array.isArray(detail)) {
        results.push({ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' });
        continue;
      }
      events.push({ EventBusName: e.EventBusName ?? 'default', Source: e.Source, DetailType: e.DetailType, Detail: e.Detail, Resources: e.Resources ?? [], ...caller });
      results.push({ EventId: randomUUID() });
    }
    return { Entries: results, FailedEntryCount: results.filter((r) => r.ErrorCode).length };
  };

  const running = await listen((req, body, res) => {
    const requestId = randomUUID();
    const action = jsonTarget(req, 'AWSEvents');
    if (!action) return jsonError(res, 400, CT, 'UnknownOperationException', 'Unknown operation', requestId);
    const input = (body ? JSON.parse(body) : {}) as Json;
    switch (action) {
      case 'PutEvents': {
        const entries = input.Entries;
        if (!Array.isArray(entries) || entries.length < 1 || entries.length > 10) {
          return jsonError(res, 400, CT, 'ValidationException', '1 validation error detected: Value at \'entries\' failed to satisfy constraint: Member must have length less than or equal to 10', requestId);
        }
        const unknownBus = (entries as Json[]).map((e) => String(e.EventBusName ?? 'default').replace(/^arn:.*:event-bus\//, '')).find((b) => !buses.has(b));
        if (unknownBus) return jsonError(res, 400, CT, 'ResourceNotFoundException', `Event bus ${unknownBus} does not exist.`, requestId);
        return jsonReply(res, CT, putEvents(input, callerOf(req)), requestId);
      }
      case 'CreateEventBus':
        buses.add(String(input.Name));
        return jsonReply(res, CT, { EventBusArn: `arn:aws:events:${region}:${account}:event-bus/${input.Name}` }, requestId);
      case 'CreateConnection': {
        const name = String(input.Name);
        const arn = `arn:aws:events:${region}:${account}:connection/${name}/${randomUUID()}`;
        const { secret } = split(input.AuthParameters ?? {});
        const secretArn = secretsManager.put(`events!connection/${name}/${randomUUID()}`, JSON.stringify(secret));
        const c: Connection = { arn, name, state: 'AUTHORIZED', authorizationType: input.AuthorizationType, authParameters: input.AuthParameters ?? {}, secretArn };
        connections.set(name, c);
        return jsonReply(res, CT, { ConnectionArn: arn, ConnectionState: c.state, CreationTime: Date.now() / 1000 }, requestId);
      }
      case 'DescribeConnection': {
        const c = connections.get(String(input.Name));
        if (!c) return jsonError(res, 400, CT, 'ResourceNotFoundException', `Failed to describe the connection(s). Connection '${input.Name}' does not exist.`, requestId);
        return jsonReply(res, CT, {
          ConnectionArn: c.arn, Name: c.name, ConnectionState: c.state, AuthorizationType: c.authorizationType,
          AuthParameters: split(c.authParameters).shown, SecretArn: c.secretArn, CreationTime: Date.now() / 1000,
        }, requestId);
      }
      default:
        return jsonError(res, 400, CT, 'UnknownOperationException', `Unsupported operation ${action}`, requestId);
    }
  });
  return {
    endpoint: running.endpoint,
    close: running.close,
    events,
    setConnectionState: (name, state) => {
      const c = connections.get(name);
      if (c) c.state = state;
    },
  };
}
