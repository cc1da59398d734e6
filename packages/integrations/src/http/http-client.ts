/**
 * One HTTP exchange for the HTTP Task and its OAuth token requests, on node:http / node:https. Hand-written rather
 * than on fetch: fetch adds headers of its own (Accept, Accept-Language, Sec-Fetch-Mode, Accept-Encoding with
 * transparent decompression) that Step Functions does not send, and it cannot bound how much of a body is read.
 * - one limit for the whole exchange, connection to last byte (the HTTP Task's 60 seconds);
 * - the response body is read up to `maxBytes`; a longer one ends the exchange as `too-large`;
 * - redirects are not followed (a 3xx is an answer like any other);
 * - an abort of the caller's signal rejects with the signal's reason (the engine cancelled the task).
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { addTaskTraceHeaders } from '../trace-headers.js';

export interface HttpExchange {
  readonly url: URL;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer | undefined;
}

export interface HttpAnswer {
  readonly statusCode: number;
  readonly statusText: string;
  /** Header names lower-cased, every value kept (a header may repeat). */
  readonly headers: Readonly<Record<string, string[]>>;
  readonly body: Buffer;
}

export type HttpOutcome =
  | { readonly ok: true; readonly answer: HttpAnswer }
  | { readonly ok: false; readonly kind: 'timeout' | 'socket' | 'too-large'; readonly message: string };

export interface HttpLimits {
  readonly timeoutMs: number;
  readonly maxBytes: number;
}

export function sendHttp(exchange: HttpExchange, limits: HttpLimits, signal: AbortSignal): Promise<HttpOutcome> {
  signal.throwIfAborted();
  return new Promise<HttpOutcome>((resolve, reject) => {
    const send = exchange.url.protocol === 'https:' ? httpsRequest : httpRequest;
    const headers: Record<string, string> = { ...exchange.headers, ...(exchange.body ? { 'Content-Length': String(exchange.body.length) } : {}) };
    addTaskTraceHeaders(headers, signal); // the task's traceparent / X-Amzn-Trace-Id, unless the definition set them
    const req = send(exchange.url, { method: exchange.method, headers });
    let settled = false;
    const finish = (outcome: HttpOutcome | Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      req.destroy();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    const timer = setTimeout(
      () => finish({ ok: false, kind: 'timeout', message: `no complete answer within ${limits.timeoutMs / 1000} seconds` }),
      limits.timeoutMs,
    );
    const onAbort = (): void => finish(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
    req.on('error', (e: NodeJS.ErrnoException) => finish({ ok: false, kind: 'socket', message: e.code ? `${e.code}: ${e.message}` : e.message }));
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > limits.maxBytes) {
          finish({ ok: false, kind: 'too-large', message: `the response body exceeds ${limits.maxBytes} bytes` });
          return;
        }
        chunks.push(c);
      });
      res.on('error', (e: NodeJS.ErrnoException) => finish({ ok: false, kind: 'socket', message: e.message }));
      res.on('end', () => {
        const statusCode = res.statusCode ?? 0;
        finish({
          ok: true,
          answer: { statusCode, statusText: res.statusMessage ?? '', headers: { ...res.headersDistinct } as Record<string, string[]>, body: Buffer.concat(chunks) },
        });
      });
    });
    req.end(exchange.body);
  });
}
