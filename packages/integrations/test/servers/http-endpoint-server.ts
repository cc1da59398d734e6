/**
 * HTTP endpoints for the HTTP Task's tests: a plain HTTP/1.1 server whose routes the test defines, recording every
 * request as it arrived (method, path, query, headers, body), plus an OAuth 2.0 token endpoint for the
 * client-credentials grant of RFC 6749 section 4.4 (https://www.rfc-editor.org/rfc/rfc6749#section-4.4): the
 * client authenticates with HTTP Basic (section 2.3.1), `grant_type=client_credentials` in the form body (or the
 * query string for GET), and gets `{"access_token", "token_type": "Bearer", "expires_in"}` (section 5.1); a wrong
 * client answers 401 `{"error": "invalid_client"}`, a missing grant type 400 `{"error": "invalid_request"}`
 * (section 5.2). Tokens can be revoked so a protected route answers 401, as an expired token would.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listen, type RunningServer } from './http-util.js';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface Reply {
  status?: number;
  statusText?: string;
  headers?: Record<string, string | string[]>;
  body?: string | Buffer;
  /** Wait this long before answering (timeouts). */
  delayMs?: number;
}

export type Route = (req: RecordedRequest) => Reply | Promise<Reply>;

export interface OAuthSettings {
  clientId: string;
  clientSecret: string;
  /** `expires_in` of issued tokens (omitted: none given). */
  expiresIn?: number;
}

export interface HttpEndpointServer extends RunningServer {
  readonly requests: RecordedRequest[];
  readonly tokenRequests: RecordedRequest[];
  route(method: string, path: string, handler: Route): void;
  /** Turns the token endpoint at `/oauth/token` on. */
  oauth(settings: OAuthSettings): void;
  /** Whether the request carries a token the token endpoint issued and has not revoked. */
  hasValidToken(req: RecordedRequest): boolean;
  revokeTokens(): void;
}

function json(status: number, value: unknown): Reply {
  return { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) };
}

export async function startHttpEndpointServer(): Promise<HttpEndpointServer> {
  const routes = new Map<string, Route>();
  const requests: RecordedRequest[] = [];
  const tokenRequests: RecordedRequest[] = [];
  const tokens = new Set<string>();
  let oauth: OAuthSettings | undefined;

  const issueToken = (req: RecordedRequest): Reply => {
    tokenRequests.push(req);
    const basic = /^Basic (.+)$/.exec(String(req.headers.authorization ?? ''));
    const [id, secret] = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8').split(':') : [];
    if (!oauth || id !== oauth.clientId || secret !== oauth.clientSecret) return json(401, { error: 'invalid_client' });
    const form = req.method === 'GET' ? req.query : new URLSearchParams(req.body);
    if (form.get('grant_type') !== 'client_credentials') return json(400, { error: 'invalid_request' });
    const token = randomBytes(16).toString('hex');
    tokens.add(token);
    return json(200, { access_token: token, token_type: 'Bearer', ...(oauth.expiresIn !== undefined ? { expires_in: oauth.expiresIn } : {}) });
  };

  const answer = async (res: ServerResponse, reply: Reply) => {
    if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
    if (res.destroyed) return;
    const body = reply.body ?? '';
    const headers = { ...reply.headers, 'content-length': String(Buffer.byteLength(body)) };
    if (reply.statusText !== undefined) res.writeHead(reply.status ?? 200, reply.statusText, headers);
    else res.writeHead(reply.status ?? 200, headers);
    res.end(body);
  };

  const running = await listen(async (req, body, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const recorded: RecordedRequest = { method: req.method ?? '', path: url.pathname, query: url.searchParams, headers: req.headers, body };
    if (url.pathname === '/oauth/token') return answer(res, issueToken(recorded));
    requests.push(recorded);
    const route = routes.get(`${recorded.method} ${url.pathname}`);
    if (!route) return answer(res, json(404, { message: 'no such route' }));
    return answer(res, await route(recorded));
  });
  return {
    endpoint: running.endpoint,
    close: running.close,
    requests,
    tokenRequests,
    route: (method, path, handler) => void routes.set(`${method} ${path}`, handler),
    oauth: (settings) => void (oauth = settings),
    hasValidToken: (req) => {
      const m = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''));
      return m !== null && tokens.has(m[1]!);
    },
    revokeTokens: () => tokens.clear(),
  };
}
