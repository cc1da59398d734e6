/**
 * The Baton API server (node:http): the Step Functions JSON 1.0 protocol at `POST /` (SigV4-signed), the REST
 * surface under `/v1/` (bearer API keys), `GET /openapi.json`, `GET /healthz` (alive), `GET /readyz` (the role's
 * backends answer) and `GET /metrics` (Prometheus text; a bearer API key unless in developer mode). It talks to the engine only
 * through the `SfnBackend` it is given. Every failure becomes a response; nothing thrown while serving a request
 * reaches the process (an unexpected error is a 500 `InternalFailure`, logged with its stack, never with secrets).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiError, DEFAULT_ARN_SCOPE, isApiError, type ArnScope, type ConsoleBackend, type SfnBackend } from '@baton/api-contract';
import type { AccessKeys } from './auth/access-keys.js';
import { verifySigV4 } from './auth/sigv4.js';
import { ConsoleAssets } from './console/console-assets.js';
import { ConsoleSessions } from './console/console-session.js';
import { handleSession, SESSION_PATH } from './console/session-routes.js';
import { DEFAULT_MAX_BODY_BYTES, readBody } from './http/body.js';
import { developerModeRefusal } from './http/request-guard.js';
import { originForm } from './http/request-target.js';
import { sendJson } from './http/respond.js';
import { invokeAction, parseJsonBody, resolveAction } from './json-protocol/dispatch.js';
import { AMZ_JSON_1_0, errorWireBody, toWireJson } from './json-protocol/wire.js';
import { silentLogger, type ApiLogger } from './logger.js';
import { BearerKeys } from './rest/bearer.js';
import { openApiDocument } from './rest/openapi.js';
import { restErrorBody, restStatus } from './rest/rest-errors.js';
import { handleRest, isRestPath } from './rest/routes.js';

export type ApiAuth =
  | { mode: 'sigv4'; accessKeys: AccessKeys }
  /**
   * No authentication at all: only in embedded developer mode, only bound to a loopback address, and behind the
   * cross-site checks of `http/request-guard.ts` (loopback Host, own Origin, JSON content types on writes).
   */
  | { mode: 'off' };

export interface ApiServerOptions {
  /** The engine; the REST surface's reading and operating routes need the `ConsoleBackend` operations too. */
  backend: SfnBackend & Partial<ConsoleBackend>;
  auth: ApiAuth;
  /** Bearer keys of the REST surface; without any, the REST surface refuses every request (unless auth is off). */
  apiKeys?: readonly string[];
  /** Embedded developer mode: the only mode in which `auth: { mode: 'off' }` is accepted. */
  developerMode?: boolean;
  /** Region/account/partition of the ARNs the REST surface builds from state machine names. */
  arnScope?: ArnScope;
  maxBodyBytes?: number;
  logger?: ApiLogger;
  /** The clock signatures are checked against (epoch ms). */
  now?: () => number;
  /** The built web console (apps/console/dist), served at /console; the composition root passes it. */
  consoleDirectory?: string;
  /** `/readyz` and `/metrics`, from the composition root; without them both answer 404. */
  probes?: ApiProbes;
}

export interface ApiProbes {
  readiness(): Promise<{ status: number; body: string }>;
  /** Writes the Prometheus text exposition. */
  metrics(req: IncomingMessage, res: ServerResponse): void;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '::ffff:127.0.0.1']);

export class ApiServer {
  readonly server: Server;
  private readonly options: Required<Omit<ApiServerOptions, 'apiKeys' | 'consoleDirectory' | 'probes'>> & Pick<ApiServerOptions, 'probes'>;
  private readonly bearer: BearerKeys;
  private readonly sessions: ConsoleSessions;
  private readonly consoleAssets: ConsoleAssets;
  private readonly inflight = new Set<AbortController>();
  /** Requests in progress other than the probes (what a drain waits for). */
  private working = 0;
  private draining = false;
  private readonly idleWaiters: (() => void)[] = [];
  /** Set while a drain with a grace waits: ends that wait at once, cutting what is still in progress. */
  private cutNow: (() => void) | undefined;

  constructor(options: ApiServerOptions) {
    if (options.auth.mode === 'off' && !options.developerMode) {
      throw new Error('authentication can only be turned off in embedded developer mode');
    }
    this.options = {
      developerMode: false,
      arnScope: DEFAULT_ARN_SCOPE,
      maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
      logger: silentLogger,
      now: Date.now,
      ...options,
    };
    this.bearer = new BearerKeys(options.apiKeys ?? []);
    this.sessions = new ConsoleSessions(options.apiKeys ?? [], this.options.now);
    this.consoleAssets = new ConsoleAssets(options.consoleDirectory);
    this.server = createServer((req, res) => {
      if (!isProbe(req)) {
        this.working++;
        res.once('close', () => {
          if (--this.working === 0) for (const wake of this.idleWaiters.splice(0)) wake();
        });
      }
      this.handle(req, res).catch((e: unknown) => this.crashGuard(res, e));
    });
    // Longer than the idle time of the SDKs' keep-alive sockets and of load balancers (60 s), so the server is not
    // the side that closes a connection a client is about to reuse; long polls (GetActivityTask) last up to 60 s.
    this.server.keepAliveTimeout = 65_000;
    this.server.headersTimeout = 66_000;
    this.server.requestTimeout = 120_000;
    this.server.on('clientError', (_err, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    });
  }

  /** Binds the server; with authentication off, only a loopback host is accepted. */
  async listen(port = 0, host = '127.0.0.1'): Promise<{ url: string; port: number }> {
    if (this.options.auth.mode === 'off' && !LOOPBACK.has(host)) {
      throw new Error(`authentication is off: the API may only listen on a loopback address, not '${host}'`);
    }
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const address = this.server.address() as AddressInfo;
    const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return { url: `http://${shownHost}:${address.port}`, port: address.port };
  }

  /**
   * The first step of a graceful stop, while the port stays open: `/healthz`, `/readyz` (which the role then answers
   * 503) and `/metrics` are still served, so that probes see the replica draining rather than a refused
   * connection; every other new request is answered 503 `ServiceUnavailable` with `Connection: close` (the AWS SDKs
   * retry it, on another replica behind a load balancer); long polls end (as if no task came) and idle
   * keep-alive connections are closed. Resolves once the requests in progress are answered, or after `graceMs`
   * (those still running are then cut), or at once on `hurry()`. `close()` then closes the port.
   */
  async drain(graceMs?: number): Promise<void> {
    this.draining = true;
    for (const c of this.inflight) c.abort();
    this.server.closeIdleConnections();
    const idle = setInterval(() => this.server.closeIdleConnections(), 100);
    let cut: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve) => {
        if (this.working === 0) return resolve();
        this.idleWaiters.push(resolve);
        this.cutNow = () => {
          this.server.closeAllConnections();
          resolve();
        };
        if (graceMs !== undefined) cut = setTimeout(this.cutNow, graceMs);
      });
    } finally {
      this.cutNow = undefined;
      clearInterval(idle);
      clearTimeout(cut);
    }
  }

  /**
   * A second signal during a drain: the requests still in progress are cut now (their connections closed; the
   * SDKs retry them elsewhere) instead of at the end of the grace. Nothing when no drain waits.
   */
  hurry(): void {
    this.cutNow?.();
  }

  /**
   * Stops accepting connections, ends long polls (they answer as if no task came), closes idle keep-alive
   * connections, and lets the requests in progress be answered; connections still open after `graceMs` (if given)
   * are closed.
   */
  async close(graceMs?: number): Promise<void> {
    for (const c of this.inflight) c.abort();
    const closed = new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
    });
    // A response ends a keep-alive connection's use: close the ones that become idle while draining.
    const idle = setInterval(() => this.server.closeIdleConnections(), 100);
    const cut = graceMs === undefined ? undefined : setTimeout(() => this.server.closeAllConnections(), graceMs);
    try {
      await closed;
    } finally {
      clearInterval(idle);
      clearTimeout(cut);
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const url = originForm(req.url ?? '/');
    const pathname = url.split('?')[0] ?? '/';
    const method = req.method ?? 'GET';
    if (this.draining && !isProbe(req)) {
      const refused = new ApiError('ServiceUnavailable', 'this replica is stopping: retry on another one');
      return this.refuse(res, refused, method === 'POST' && pathname === '/', requestId);
    }
    if (this.options.auth.mode === 'off') {
      const refused = developerModeRefusal(method, req.headers);
      if (refused) return this.refuse(res, refused, method === 'POST' && pathname === '/', requestId);
    }
    // Both pass the request's headers on with the action's input: a new execution continues the caller's trace
    // (traceparent, X-Amzn-Trace-Id; withIncomingTraceHeaders).
    if (method === 'POST' && pathname === '/') return this.handleAws(req, res, requestId);
    if (isRestPath(pathname)) return this.handleRestRequest(req, res, method, url, requestId);
    if (ConsoleAssets.isConsolePath(pathname)) return this.consoleAssets.serve(req, res, pathname);
    if (method === 'GET' && pathname === '/' && this.options.developerMode) {
      res.writeHead(302, { Location: '/console/', 'Content-Length': '0' }).end();
      return;
    }
    if (method === 'GET' && pathname === '/openapi.json') {
      return sendJson(res, 200, JSON.stringify(openApiDocument()), 'application/json');
    }
    if (method === 'GET' && pathname === '/healthz') {
      return sendJson(res, 200, JSON.stringify({ status: 'ok' }), 'application/json');
    }
    const probes = this.options.probes;
    if (method === 'GET' && pathname === '/readyz' && probes) {
      const r = await probes.readiness();
      return sendJson(res, r.status, r.body, 'application/json');
    }
    if (method === 'GET' && pathname === '/metrics' && probes) return this.handleMetrics(req, res, probes, requestId);
    const e = new ApiError('UnknownOperationException', `No such endpoint: ${method} ${pathname}`);
    sendJson(res, 404, restErrorBody(e), 'application/json', { 'x-amzn-RequestId': requestId });
  }

  /** AWS JSON 1.0: authenticate, resolve the action, validate, call the backend. */
  private async handleAws(req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> {
    const headers = { 'x-amzn-RequestId': requestId };
    const started = Date.now();
    let action = '?';
    try {
      const body = await readBody(req, this.options.maxBodyBytes);
      if (this.options.auth.mode === 'sigv4') {
        verifySigV4(
          { method: 'POST', url: originForm(req.url ?? '/'), headers: req.headers, body },
          { accessKeys: this.options.auth.accessKeys, service: 'states', now: this.options.now },
        );
      }
      const target = req.headers['x-amz-target'];
      const resolved = resolveAction(Array.isArray(target) ? target[0] : target);
      action = resolved;
      const parsed = parseJsonBody(body);
      const output = await this.withAbort(res, (signal) => invokeAction(this.options.backend, resolved, parsed, signal, req.headers));
      sendJson(res, 200, toWireJson(output ?? {}), AMZ_JSON_1_0, headers);
      this.options.logger.info('request', { requestId, action, status: 200, ms: Date.now() - started });
    } catch (e) {
      const error = this.asApiError(e, requestId, action);
      sendJson(res, error.httpStatus, errorWireBody(error), AMZ_JSON_1_0, {
        ...headers,
        'x-amzn-ErrorType': error.code,
        ...closeIfUnread(error),
      });
      this.options.logger.info('request', { requestId, action, status: error.httpStatus, code: error.code, ms: Date.now() - started });
    }
  }

  private async handleRestRequest(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    url: string,
    requestId: string,
  ): Promise<void> {
    const headers = { 'x-amzn-RequestId': requestId };
    const { pathname, searchParams } = new URL(url, 'http://localhost');
    const started = Date.now();
    // Logged like the AWS-protocol requests: id, what, status, duration (the path names resources, never a secret).
    res.once('finish', () => this.options.logger.info('request', {
      requestId, method, path: pathname, status: res.statusCode, ms: Date.now() - started,
    }));
    try {
      const authOff = this.options.auth.mode === 'off';
      if (pathname === SESSION_PATH) {
        const body = method === 'GET' ? Buffer.alloc(0) : await readBody(req, this.options.maxBodyBytes);
        const result = handleSession(req, method, body, { authOff, sessions: this.sessions, keysConfigured: this.bearer.configured });
        return sendJson(res, result.status, JSON.stringify(result.body), 'application/json', { ...headers, ...result.headers });
      }
      if (!authOff) {
        try {
          // An API key, or else the web console's session cookie (with its CSRF token on state changes).
          if (req.headers.authorization !== undefined) this.bearer.check(req.headers.authorization);
          else this.sessions.authenticate(req, method);
        } catch (e) {
          if (isApiError(e)) Object.assign(headers, { 'WWW-Authenticate': 'Bearer' });
          throw e;
        }
      }
      const body = method === 'GET' ? Buffer.alloc(0) : await readBody(req, this.options.maxBodyBytes);
      const result = await handleRest(method, pathname, body, {
        backend: this.options.backend,
        arnScope: this.options.arnScope,
        requestHeaders: req.headers,
      }, searchParams);
      sendJson(res, result.status, JSON.stringify(result.body), 'application/json', headers);
    } catch (e) {
      const error = this.asApiError(e, requestId, `${method} ${pathname}`);
      sendJson(res, restStatus(error), restErrorBody(error), 'application/json', { ...headers, ...closeIfUnread(error) });
    }
  }

  /** Prometheus text; open in developer mode, else only with a bearer API key (BATON_API_KEYS). */
  private handleMetrics(req: IncomingMessage, res: ServerResponse, probes: ApiProbes, requestId: string): void {
    if (this.options.auth.mode !== 'off') {
      try {
        this.bearer.check(req.headers.authorization);
      } catch (e) {
        const error = this.asApiError(e, requestId, 'GET /metrics');
        sendJson(res, restStatus(error), restErrorBody(error), 'application/json', { 'x-amzn-RequestId': requestId, 'WWW-Authenticate': 'Bearer' });
        this.options.logger.info('request', { requestId, method: 'GET', path: '/metrics', status: res.statusCode, code: error.code });
        return;
      }
    }
    probes.metrics(req, res);
  }

  /** A request refused before it is read (developer mode's cross-site checks), in the shape of its surface. */
  private refuse(res: ServerResponse, error: ApiError, awsProtocol: boolean, requestId: string): void {
    const headers = { 'x-amzn-RequestId': requestId, Connection: 'close' };
    if (awsProtocol) {
      sendJson(res, error.httpStatus, errorWireBody(error), AMZ_JSON_1_0, { ...headers, 'x-amzn-ErrorType': error.code });
    } else {
      sendJson(res, restStatus(error), restErrorBody(error), 'application/json', headers);
    }
    this.options.logger.warn('request refused', { requestId, code: error.code, status: res.statusCode });
  }

  /** Runs `fn` with a signal that fires when the client goes away or the server closes (long polls end). */
  private async withAbort<T>(res: ServerResponse, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const onClose = (): void => {
      if (!res.writableFinished) controller.abort();
    };
    res.once('close', onClose);
    this.inflight.add(controller);
    try {
      return await fn(controller.signal);
    } finally {
      this.inflight.delete(controller);
      res.off('close', onClose);
    }
  }

  /** API errors pass through; anything else is a bug or an infrastructure failure: logged, answered 500. */
  private asApiError(e: unknown, requestId: string, action: string): ApiError {
    if (isApiError(e)) return e;
    this.options.logger.error('internal failure', {
      requestId,
      action,
      error: e instanceof Error ? (e.stack ?? e.message) : String(e),
    });
    return new ApiError('InternalFailure', `An internal error occurred (request id ${requestId}).`, { cause: e });
  }

  private crashGuard(res: ServerResponse, e: unknown): void {
    this.options.logger.error('unhandled error while serving a request', {
      error: e instanceof Error ? (e.stack ?? e.message) : String(e),
    });
    if (!res.headersSent) {
      sendJson(res, 500, JSON.stringify({ __type: 'InternalFailure', message: 'An internal error occurred.' }), AMZ_JSON_1_0);
    } else {
      res.destroy();
    }
  }
}

/** After refusing an oversized body we did not read, the connection cannot be reused. */
/** The paths a drain keeps serving (liveness, readiness, metrics). */
function isProbe(req: IncomingMessage): boolean {
  const path = (req.url ?? '/').split('?')[0];
  return req.method === 'GET' && (path === '/healthz' || path === '/readyz' || path === '/metrics');
}

function closeIfUnread(error: ApiError): Record<string, string> {
  return error.code === 'RequestEntityTooLargeException' ? { Connection: 'close' } : {};
}
