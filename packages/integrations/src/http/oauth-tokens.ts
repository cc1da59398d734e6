/**
 * OAuth client-credentials tokens of OAUTH_CLIENT_CREDENTIALS connections (EventBridge user guide, "Connections
 * for HTTP endpoint targets": EventBridge "exchanges your client ID and secret for an access token and then manages
 * it"; "OAUTH tokens are refreshed when a 401 or 407 response is returned"). The token request (RFC 6749 section
 * 4.4) goes to `AuthorizationEndpoint` with the connection's `HttpMethod`, the client ID and secret as HTTP Basic
 * authentication, `grant_type=client_credentials` unless the connection's OAuth body parameters set their own, and
 * the connection's OAuth header, query-string and body parameters (the body form-encoded; for GET the body
 * parameters travel in the query string). The answer's `access_token` is cached per connection until
 * `expires_in` (less a minute) or, without `expires_in`, until an endpoint answers 401/407.
 * Failure reasons name the status or the problem, never the token endpoint's body (it may echo credentials).
 */
import type { ConnectionAuthParameters } from './connection-definition.js';
import { sendHttp } from './http-client.js';

type OAuthParameters = NonNullable<ConnectionAuthParameters['OAuthParameters']>;

interface Token {
  value: string;
  /** Epoch ms after which it is not used; Infinity when the server gave no expires_in. */
  expiresAt: number;
}

const MAX_TOKEN_BYTES = 64 * 1024;
const EXPIRY_MARGIN_MS = 60_000;
const MAX_CACHED = 1_000;

export class OAuthTokens {
  private readonly cache = new Map<string, Token>();

  constructor(private readonly limits: { timeoutMs: number }) {}

  /** The token, or why there is none. */
  async token(connectionArn: string, oauth: OAuthParameters, signal: AbortSignal, refresh: boolean): Promise<string | { reason: string }> {
    const key = `${connectionArn}|${oauth.AuthorizationEndpoint}|${oauth.ClientParameters.ClientID}`;
    const cached = this.cache.get(key);
    if (!refresh && cached && cached.expiresAt > Date.now()) return cached.value;
    this.cache.delete(key);
    const fetched = await this.fetch(oauth, signal);
    if ('reason' in fetched) return fetched;
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, fetched);
    return fetched.value;
  }

  private async fetch(oauth: OAuthParameters, signal: AbortSignal): Promise<Token | { reason: string }> {
    const params = oauth.OAuthHttpParameters;
    const url = new URL(oauth.AuthorizationEndpoint);
    for (const p of params?.QueryStringParameters ?? []) url.searchParams.set(p.Key, p.Value);
    const form = new URLSearchParams();
    if (!(params?.BodyParameters ?? []).some((p) => p.Key === 'grant_type')) form.set('grant_type', 'client_credentials');
    for (const p of params?.BodyParameters ?? []) form.set(p.Key, p.Value);
    const headers: Record<string, string> = {
      Authorization: `Basic ${Buffer.from(`${oauth.ClientParameters.ClientID}:${oauth.ClientParameters.ClientSecret}`, 'utf8').toString('base64')}`,
      Accept: 'application/json',
    };
    for (const p of params?.HeaderParameters ?? []) headers[p.Key] = p.Value;
    let body: Buffer | undefined;
    if (oauth.HttpMethod === 'GET') {
      for (const [k, v] of form) url.searchParams.set(k, v);
    } else {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = Buffer.from(form.toString(), 'utf8');
    }
    const outcome = await sendHttp({ url, method: oauth.HttpMethod, headers, body }, { timeoutMs: this.limits.timeoutMs, maxBytes: MAX_TOKEN_BYTES }, signal);
    if (!outcome.ok) return { reason: `the token request to ${url.origin}${url.pathname} failed (${outcome.kind}: ${outcome.message})` };
    const { statusCode, body: answer } = outcome.answer;
    if (statusCode < 200 || statusCode > 299) return { reason: `the token endpoint ${url.origin}${url.pathname} answered HTTP ${statusCode}` };
    let json: { access_token?: unknown; expires_in?: unknown };
    try {
      json = JSON.parse(answer.toString('utf8')) as typeof json;
    } catch {
      return { reason: `the token endpoint ${url.origin}${url.pathname} did not answer JSON` };
    }
    if (typeof json?.access_token !== 'string' || json.access_token === '') return { reason: `the token endpoint ${url.origin}${url.pathname} answered no access_token` };
    const seconds = Number(json.expires_in);
    const expiresAt = Number.isFinite(seconds) && seconds > 0 ? Date.now() + seconds * 1000 - EXPIRY_MARGIN_MS : Number.POSITIVE_INFINITY;
    return { value: json.access_token, expiresAt };
  }
}
