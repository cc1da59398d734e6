/**
 * Finds the EventBridge connection an HTTP Task names and turns it into the authorization it sends:
 * - from the invoker's `connections` (BATON_CONNECTIONS_FILE) first;
 * - else, when `connectionLookup` is on, as Step Functions does on AWS: EventBridge DescribeConnection (by the
 *   name in the ARN, in the ARN's region) gives the authorization type, the non-secret parameters and the
 *   connection's Secrets Manager secret; GetSecretValue gives the secret parameters. The secret is read as a JSON
 *   object in CreateConnection's `AuthParameters` shape, merged over what DescribeConnection returned (AWS's own
 *   `events!connection/...` secrets use a format AWS does not document; Baton refuses what it cannot read).
 *   The connection must be AUTHORIZED.
 * Authorization (EventBridge user guide, "Connections for HTTP endpoint targets"): API_KEY sends
 * `<ApiKeyName>: <ApiKeyValue>`, BASIC `Authorization: Basic ...`, OAUTH_CLIENT_CREDENTIALS `Authorization: Bearer
 * <token>` with the token from the connection's authorization endpoint (see oauth-tokens.ts).
 * A connection that cannot be found or used fails the task with States.TaskFailed; causes name the connection and
 * the reason, never a credential.
 */
import { DescribeConnectionCommand } from '@aws-sdk/client-eventbridge';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import type { ClientFactory } from '../clients.js';
import type { TaskInvokerOptions } from '../options.js';
import type { TaskResult } from '../port.js';
import { callSdk } from '../sdk-call.js';
import { failed } from '../task-context.js';
import { ConnectionDefinitionError, isConnectionArn, parseConnection, type ConnectionDefinition, type ConnectionParameter } from './connection-definition.js';
import { OAuthTokens } from './oauth-tokens.js';

type Header = readonly [string, string];

export class ConnectionResolver {
  private readonly tokens: OAuthTokens;

  constructor(private readonly options: TaskInvokerOptions) {
    this.tokens = new OAuthTokens({ timeoutMs: options.httpTimeoutMs ?? 60_000 });
  }

  async resolve(arn: string, clients: ClientFactory, signal: AbortSignal): Promise<ConnectionDefinition | TaskResult> {
    if (!isConnectionArn(arn)) return failed('States.Runtime', `Authentication.ConnectionArn '${arn}' is not an EventBridge connection ARN`);
    const listed = this.options.connections?.[arn];
    if (listed) return listed;
    if (!this.options.connectionLookup) {
      return failed('States.TaskFailed', `The connection ${arn} is not configured in Baton (BATON_CONNECTIONS_FILE lists none by that ARN, and lookup through EventBridge is off)`);
    }
    return this.lookUp(arn, clients, signal);
  }

  /** The headers that authorise a call; `refresh` drops a cached OAuth token first (the endpoint answered 401/407). */
  async authorization(arn: string, connection: ConnectionDefinition, signal: AbortSignal, refresh = false): Promise<Header[] | TaskResult> {
    const auth = connection.AuthParameters;
    switch (connection.AuthorizationType) {
      case 'API_KEY':
        return [[auth.ApiKeyAuthParameters!.ApiKeyName, auth.ApiKeyAuthParameters!.ApiKeyValue]];
      case 'BASIC': {
        const { Username, Password } = auth.BasicAuthParameters!;
        return [['Authorization', `Basic ${Buffer.from(`${Username}:${Password}`, 'utf8').toString('base64')}`]];
      }
      case 'OAUTH_CLIENT_CREDENTIALS': {
        const token = await this.tokens.token(arn, auth.OAuthParameters!, signal, refresh);
        if (typeof token !== 'string') return failed('States.TaskFailed', `The connection ${arn} could not obtain an OAuth token: ${token.reason}`);
        return [['Authorization', `Bearer ${token}`]];
      }
    }
  }

  private async lookUp(arn: string, clients: ClientFactory, signal: AbortSignal): Promise<ConnectionDefinition | TaskResult> {
    const [, , , region, , resource] = arn.split(':');
    const name = resource!.split('/')[1]!;
    const described = await callSdk(clients.get('eventbridge', region!), new DescribeConnectionCommand({ Name: name }), signal);
    if (!described.ok) return failed('States.TaskFailed', `EventBridge DescribeConnection failed for ${arn}: ${errorText(described.error)}`);
    const d = described.output as { ConnectionState?: string; AuthorizationType?: string; AuthParameters?: Record<string, unknown>; SecretArn?: string };
    if (d.ConnectionState !== 'AUTHORIZED') return failed('States.TaskFailed', `The connection ${arn} is ${d.ConnectionState ?? 'in no state'}, not AUTHORIZED`);
    const { ConnectivityParameters, ...describedAuth } = d.AuthParameters ?? {};
    if (ConnectivityParameters !== undefined) return failed('States.Runtime', `The connection ${arn} has ConnectivityParameters (private APIs), which Baton does not support`);
    let secret: Record<string, unknown> = {};
    if (d.SecretArn) {
      const got = await callSdk(clients.get('secretsmanager', region!), new GetSecretValueCommand({ SecretId: d.SecretArn }), signal);
      if (!got.ok) return failed('States.TaskFailed', `Secrets Manager GetSecretValue failed for the secret of ${arn}: ${errorText(got.error)}`);
      const parsed = parseSecret((got.output as { SecretString?: string }).SecretString);
      if (!parsed) return failed('States.TaskFailed', `The secret of ${arn} is not a JSON object in CreateConnection's AuthParameters shape`);
      secret = parsed;
    }
    try {
      return parseConnection({ AuthorizationType: d.AuthorizationType, AuthParameters: merge(describedAuth, secret) }, `connection ${arn}`);
    } catch (e) {
      if (e instanceof ConnectionDefinitionError) return failed('States.TaskFailed', e.message);
      throw e;
    }
  }
}

function errorText(e: unknown): string {
  const err = e as { name?: string; message?: string };
  return `${err.name ?? 'Error'}: ${err.message ?? String(e)}`;
}

function parseSecret(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    const v = JSON.parse(text) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const PARAMETER_LISTS = new Set(['HeaderParameters', 'QueryStringParameters', 'BodyParameters']);

/** The secret's values over DescribeConnection's (parameter lists merged by Key). */
function merge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    if (PARAMETER_LISTS.has(k) && Array.isArray(b) && Array.isArray(v)) {
      const byKey = new Map((b as ConnectionParameter[]).map((p) => [p.Key, { ...p }]));
      for (const p of v as ConnectionParameter[]) byKey.set(p.Key, { ...byKey.get(p.Key), ...p });
      out[k] = [...byKey.values()];
    } else if (isPlain(b) && isPlain(v)) {
      out[k] = merge(b, v);
    } else {
      out[k] = v;
    }
  }
  return out;
}

function isPlain(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
