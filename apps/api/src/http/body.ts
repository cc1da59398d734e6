/**
 * Reads a request body up to a byte limit. A larger body is `RequestEntityTooLargeException` (HTTP 413). The
 * excess is read and dropped (up to 16 times the limit) so that the client, still sending, gets the 413 answer
 * rather than a reset connection; beyond that the request is refused at once and the connection closed.
 */
import type { IncomingMessage } from 'node:http';
import { ApiError } from '@baton/api-contract';

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const DRAIN_FACTOR = 16;

export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes * DRAIN_FACTOR) return Promise.reject(tooLarge(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (fn: () => void): void => {
      if (done) return;
      done = true;
      req.off('data', onData);
      fn();
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > maxBytes * DRAIN_FACTOR) {
        req.pause();
        finish(() => reject(tooLarge(maxBytes)));
      } else if (size <= maxBytes) {
        chunks.push(chunk);
      }
    };
    req.on('data', onData);
    req.once('end', () => finish(() => (size > maxBytes ? reject(tooLarge(maxBytes)) : resolve(Buffer.concat(chunks)))));
    req.once('error', (e) => finish(() => reject(e)));
    req.once('aborted', () => finish(() => reject(new Error('request aborted by the client'))));
  });
}

function tooLarge(maxBytes: number): ApiError {
  return new ApiError(
    'RequestEntityTooLargeException',
    `Request body exceeds the maximum allowed size of ${maxBytes} bytes.`,
  );
}
