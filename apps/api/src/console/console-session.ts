/**
 * Sessions of the web console when authentication is on: a person pastes one of the `BATON_API_KEYS` once
 * (`POST /v1/console/session`), and the browser keeps a session cookie (HttpOnly, SameSite=Strict) that the REST
 * surface accepts instead of `Authorization: Bearer`. Stateless, so every API replica accepts it: the cookie
 * names the key by a fingerprint, carries an expiry and a nonce, and is signed (HMAC-SHA256) with that key, so a
 * key removed from BATON_API_KEYS ends its sessions. State-changing requests made with the cookie must also carry
 * the session's CSRF token in `x-baton-csrf` (derived from the nonce and the key): another site can neither read
 * it nor send a custom header without a CORS preflight this server never approves; a foreign `Origin` is refused.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { ApiError } from '@baton/api-contract';

export const SESSION_COOKIE = 'baton_session';
export const CSRF_HEADER = 'x-baton-csrf';
const SESSION_SECONDS = 12 * 3600;

interface Payload {
  k: string;
  e: number;
  n: string;
}

export interface ConsoleSession {
  csrfToken: string;
  expiresAt: Date;
}

export class ConsoleSessions {
  private readonly byFingerprint: Map<string, string>;

  constructor(keys: readonly string[], private readonly now: () => number = Date.now) {
    this.byFingerprint = new Map(keys.map((k) => [fingerprint(k), k]));
  }

  /** Checks a key and opens a session: the Set-Cookie header value and the CSRF token for the page. */
  login(apiKey: unknown, secure: boolean): { setCookie: string; session: ConsoleSession } {
    const key = typeof apiKey === 'string' ? this.known(apiKey) : undefined;
    if (key === undefined) throw new ApiError('UnrecognizedClientException', 'The API key is not one of BATON_API_KEYS.');
    const payload: Payload = { k: fingerprint(key), e: Math.floor(this.now() / 1000) + SESSION_SECONDS, n: randomBytes(16).toString('base64url') };
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    const value = `${body}.${mac(key, body)}`;
    return {
      setCookie: cookie(value, SESSION_SECONDS, secure),
      session: { csrfToken: mac(key, `csrf:${payload.n}`), expiresAt: new Date(payload.e * 1000) },
    };
  }

  /** The Set-Cookie header value that ends the session in the browser. */
  logout(secure: boolean): string {
    return cookie('', 0, secure);
  }

  /** The session the request's cookie carries, if it is valid and unexpired. */
  fromRequest(req: IncomingMessage): ConsoleSession | undefined {
    const value = readCookie(req.headers.cookie, SESSION_COOKIE);
    const [body, given] = value?.split('.') ?? [];
    if (!body || !given) return undefined;
    let payload: Payload;
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString()) as Payload;
    } catch {
      return undefined;
    }
    const key = typeof payload.k === 'string' ? this.byFingerprint.get(payload.k) : undefined;
    if (key === undefined || !same(mac(key, body), given) || typeof payload.e !== 'number' || payload.e * 1000 <= this.now()) return undefined;
    return { csrfToken: mac(key, `csrf:${String(payload.n)}`), expiresAt: new Date(payload.e * 1000) };
  }

  /**
   * Authenticates a REST request by its session cookie; state-changing methods also need the CSRF header and,
   * when the browser sends one, an Origin of this host. Throws the REST surface's 401 codes.
   */
  authenticate(req: IncomingMessage, method: string): ConsoleSession {
    const session = this.fromRequest(req);
    if (!session) throw new ApiError('MissingAuthenticationToken', 'Missing Authentication Token: send "Authorization: Bearer <API key>".');
    if (method !== 'GET' && method !== 'HEAD') {
      const header = req.headers[CSRF_HEADER];
      const token = Array.isArray(header) ? header[0] : header;
      if (!token || !same(session.csrfToken, token)) throw new ApiError('AccessDeniedException', 'Missing or wrong CSRF token (x-baton-csrf).');
      const origin = req.headers.origin;
      if (origin !== undefined && !sameOrigin(origin, req.headers.host)) {
        throw new ApiError('AccessDeniedException', 'Cross-origin requests are not accepted.');
      }
    }
    return session;
  }

  private known(apiKey: string): string | undefined {
    const key = this.byFingerprint.get(fingerprint(apiKey));
    return key !== undefined && same(key, apiKey) ? key : undefined;
  }
}

/** Whether the request reached us over TLS (directly, or as a proxy in front says), so the cookie is `Secure`. */
export function isSecureRequest(req: IncomingMessage): boolean {
  const proto = req.headers['x-forwarded-proto'];
  return (req.socket as { encrypted?: boolean }).encrypted === true || (typeof proto === 'string' && proto.split(',')[0]!.trim() === 'https');
}

function cookie(value: string, maxAge: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${value}; Path=/; Max-Age=${maxAge}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function sameOrigin(origin: string, host: string | undefined): boolean {
  try {
    return host !== undefined && new URL(origin).host === host;
  } catch {
    return false;
  }
}

function fingerprint(key: string): string {
  return createHash('sha256').update(key).digest('base64url').slice(0, 16);
}

function mac(key: string, text: string): string {
  return createHmac('sha256', key).update(text).digest('base64url');
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
