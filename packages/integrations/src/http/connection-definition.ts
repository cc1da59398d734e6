/**
 * An EventBridge connection as the HTTP Task uses it, in the shape of EventBridge CreateConnection's request
 * (EventBridge API reference, "CreateConnection", "CreateConnectionAuthRequestParameters",
 * "ConnectionHttpParameters"): `AuthorizationType` API_KEY | BASIC | OAUTH_CLIENT_CREDENTIALS and the matching
 * `AuthParameters` (`ApiKeyAuthParameters {ApiKeyName, ApiKeyValue}`, `BasicAuthParameters {Username, Password}`,
 * `OAuthParameters {ClientParameters {ClientID, ClientSecret}, AuthorizationEndpoint, HttpMethod GET|POST|PUT,
 * OAuthHttpParameters}`), plus `InvocationHttpParameters` (header, query-string and body parameters added to every
 * call, each `{Key, Value, IsValueSecret?}`). Anything else in the object is refused by name: a connection Baton
 * would half-apply (private-API `ConnectivityParameters`, say) must not silently lose its meaning.
 * Error messages name fields, never values: values may be secrets.
 */

export type AuthorizationType = 'API_KEY' | 'BASIC' | 'OAUTH_CLIENT_CREDENTIALS';

export interface ConnectionParameter {
  readonly Key: string;
  readonly Value: string;
  readonly IsValueSecret?: boolean;
}

export interface ConnectionHttpParameters {
  readonly HeaderParameters?: readonly ConnectionParameter[];
  readonly QueryStringParameters?: readonly ConnectionParameter[];
  readonly BodyParameters?: readonly ConnectionParameter[];
}

export interface ConnectionAuthParameters {
  readonly ApiKeyAuthParameters?: { readonly ApiKeyName: string; readonly ApiKeyValue: string };
  readonly BasicAuthParameters?: { readonly Username: string; readonly Password: string };
  readonly OAuthParameters?: {
    readonly ClientParameters: { readonly ClientID: string; readonly ClientSecret: string };
    readonly AuthorizationEndpoint: string;
    readonly HttpMethod: 'GET' | 'POST' | 'PUT';
    readonly OAuthHttpParameters?: ConnectionHttpParameters;
  };
  readonly InvocationHttpParameters?: ConnectionHttpParameters;
}

export interface ConnectionDefinition {
  readonly AuthorizationType: AuthorizationType;
  readonly AuthParameters: ConnectionAuthParameters;
}

export class ConnectionDefinitionError extends Error {
  override readonly name = 'ConnectionDefinitionError';
}

const CONNECTION_ARN = /^arn:[\w-]+:events:[a-z0-9-]+:\d{12}:connection\/[\w.-]+(?:\/[\w-]+)?$/;
const AUTH_FIELD: Record<AuthorizationType, keyof ConnectionAuthParameters> = {
  API_KEY: 'ApiKeyAuthParameters',
  BASIC: 'BasicAuthParameters',
  OAUTH_CLIENT_CREDENTIALS: 'OAuthParameters',
};

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function fail(where: string, what: string): never {
  throw new ConnectionDefinitionError(`${where}: ${what}`);
}

function object(v: unknown, where: string, allowed: readonly string[]): Obj {
  if (!isObject(v)) fail(where, 'must be a JSON object');
  const unknown = Object.keys(v).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) fail(where, `${unknown.map((k) => `'${k}'`).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not supported (allowed: ${allowed.join(', ')})`);
  return v;
}

function text(o: Obj, key: string, where: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v === '') fail(`${where}.${key}`, 'is required and must be a non-empty string');
  return v;
}

function parameters(v: unknown, where: string): ConnectionHttpParameters {
  const o = object(v, where, ['HeaderParameters', 'QueryStringParameters', 'BodyParameters']);
  const out: Record<string, ConnectionParameter[]> = {};
  for (const [kind, list] of Object.entries(o)) {
    if (!Array.isArray(list)) fail(`${where}.${kind}`, 'must be an array');
    out[kind] = list.map((p, i) => {
      const at = `${where}.${kind}[${i}]`;
      const entry = object(p, at, ['Key', 'Value', 'IsValueSecret']);
      if (entry.IsValueSecret !== undefined && typeof entry.IsValueSecret !== 'boolean') fail(`${at}.IsValueSecret`, 'must be a boolean');
      if (typeof entry.Value !== 'string') fail(`${at}.Value`, 'is required and must be a string');
      return { Key: text(entry, 'Key', at), Value: entry.Value, ...(entry.IsValueSecret !== undefined ? { IsValueSecret: entry.IsValueSecret as boolean } : {}) };
    });
  }
  return out;
}

function oauth(v: unknown, where: string): NonNullable<ConnectionAuthParameters['OAuthParameters']> {
  const o = object(v, where, ['ClientParameters', 'AuthorizationEndpoint', 'HttpMethod', 'OAuthHttpParameters']);
  const client = object(o.ClientParameters, `${where}.ClientParameters`, ['ClientID', 'ClientSecret']);
  const endpoint = text(o, 'AuthorizationEndpoint', where);
  if (!/^https?:\/\//.test(endpoint) || !URL.canParse(endpoint)) fail(`${where}.AuthorizationEndpoint`, 'must be an http(s) URL');
  const method = text(o, 'HttpMethod', where);
  if (method !== 'GET' && method !== 'POST' && method !== 'PUT') fail(`${where}.HttpMethod`, 'must be GET, POST or PUT');
  return {
    ClientParameters: { ClientID: text(client, 'ClientID', `${where}.ClientParameters`), ClientSecret: text(client, 'ClientSecret', `${where}.ClientParameters`) },
    AuthorizationEndpoint: endpoint,
    HttpMethod: method,
    ...(o.OAuthHttpParameters !== undefined ? { OAuthHttpParameters: parameters(o.OAuthHttpParameters, `${where}.OAuthHttpParameters`) } : {}),
  };
}

/** Validates one connection (`where` names it in errors). */
export function parseConnection(v: unknown, where: string): ConnectionDefinition {
  const o = object(v, where, ['AuthorizationType', 'AuthParameters']);
  const type = o.AuthorizationType;
  if (type !== 'API_KEY' && type !== 'BASIC' && type !== 'OAUTH_CLIENT_CREDENTIALS') {
    fail(`${where}.AuthorizationType`, 'must be API_KEY, BASIC or OAUTH_CLIENT_CREDENTIALS');
  }
  const at = `${where}.AuthParameters`;
  const auth = object(o.AuthParameters, at, [AUTH_FIELD[type], 'InvocationHttpParameters']);
  if (auth[AUTH_FIELD[type]] === undefined) fail(`${at}.${AUTH_FIELD[type]}`, `is required for AuthorizationType ${type}`);
  const parsed: { -readonly [K in keyof ConnectionAuthParameters]: ConnectionAuthParameters[K] } = {};
  switch (type) {
    case 'API_KEY': {
      const k = object(auth.ApiKeyAuthParameters, `${at}.ApiKeyAuthParameters`, ['ApiKeyName', 'ApiKeyValue']);
      parsed.ApiKeyAuthParameters = { ApiKeyName: text(k, 'ApiKeyName', `${at}.ApiKeyAuthParameters`), ApiKeyValue: text(k, 'ApiKeyValue', `${at}.ApiKeyAuthParameters`) };
      break;
    }
    case 'BASIC': {
      const b = object(auth.BasicAuthParameters, `${at}.BasicAuthParameters`, ['Username', 'Password']);
      parsed.BasicAuthParameters = { Username: text(b, 'Username', `${at}.BasicAuthParameters`), Password: text(b, 'Password', `${at}.BasicAuthParameters`) };
      break;
    }
    case 'OAUTH_CLIENT_CREDENTIALS':
      parsed.OAuthParameters = oauth(auth.OAuthParameters, `${at}.OAuthParameters`);
      break;
  }
  if (auth.InvocationHttpParameters !== undefined) parsed.InvocationHttpParameters = parameters(auth.InvocationHttpParameters, `${at}.InvocationHttpParameters`);
  return { AuthorizationType: type, AuthParameters: parsed };
}

/** Validates a whole `BATON_CONNECTIONS_FILE` document: connection ARN -> connection. */
export function parseConnections(v: unknown, source: string): Record<string, ConnectionDefinition> {
  if (!isObject(v)) fail(source, 'must be a JSON object mapping connection ARNs to connections');
  const out: Record<string, ConnectionDefinition> = {};
  for (const [arn, connection] of Object.entries(v)) {
    if (!CONNECTION_ARN.test(arn)) fail(source, `'${arn}' is not an EventBridge connection ARN (arn:aws:events:<region>:<account>:connection/<name>/<id>)`);
    out[arn] = parseConnection(connection, `${source} ${arn}`);
  }
  return out;
}

export function isConnectionArn(v: string): boolean {
  return CONNECTION_ARN.test(v);
}
