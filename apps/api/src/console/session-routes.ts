/**
 * `/v1/console/session`: how the web console learns whether it must ask for an API key, signs in and out.
 *   GET    -> 200 {mode: 'open'} (authentication off: developer mode on loopback)
 *             200 {mode: 'session', csrfToken, expiresAt} (a valid session cookie) | 401
 *   POST   {apiKey} -> 200 {mode: 'session', csrfToken, expiresAt} + Set-Cookie | 401
 *   DELETE -> 200 {} + a Set-Cookie that clears the cookie
 */
import type { IncomingMessage } from 'node:http';
import { ApiError } from '@baton/api-contract';
import { parseJsonBody } from '../json-protocol/dispatch.js';
import { isSecureRequest, type ConsoleSessions } from './console-session.js';

export const SESSION_PATH = '/v1/console/session';

export interface SessionResult {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export function handleSession(
  req: IncomingMessage,
  method: string,
  body: Buffer,
  ctx: { authOff: boolean; sessions: ConsoleSessions; keysConfigured: boolean },
): SessionResult {
  if (ctx.authOff) return { status: 200, body: { mode: 'open' }, headers: {} };
  const secure = isSecureRequest(req);
  switch (method) {
    case 'GET': {
      const session = ctx.sessions.fromRequest(req);
      if (!session) throw new ApiError('MissingAuthenticationToken', 'Sign in with one of BATON_API_KEYS.');
      return { status: 200, body: { mode: 'session', csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() }, headers: {} };
    }
    case 'POST': {
      if (!ctx.keysConfigured) {
        throw new ApiError('UnrecognizedClientException', 'This server has no BATON_API_KEYS: set at least one to use the console.');
      }
      const { apiKey } = parseJsonBody(body) as { apiKey?: unknown };
      const { setCookie, session } = ctx.sessions.login(apiKey, secure);
      return {
        status: 200,
        body: { mode: 'session', csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() },
        headers: { 'Set-Cookie': setCookie, 'Cache-Control': 'no-store' },
      };
    }
    case 'DELETE':
      return { status: 200, body: {}, headers: { 'Set-Cookie': ctx.sessions.logout(secure) } };
    default:
      throw new ApiError('UnknownOperationException', `Method ${method} is not allowed here; use GET, POST or DELETE.`);
  }
}
