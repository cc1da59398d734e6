/**
 * Serves the built web console (apps/console/dist, handed over by the composition root) at `/console`: hashed
 * files under `/console/assets/` are immutable for a year; every other `/console/...` path is the page itself
 * (the console routes in the browser), `no-cache` so a new build is picked up at once. Files are read once and
 * kept in memory, gzip-compressed too when that is smaller. The page gets a strict Content-Security-Policy: only
 * its own scripts, styles and API.
 */
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';

export const CONSOLE_PATH = '/console';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

const PAGE_HEADERS = {
  'Cache-Control': 'no-cache',
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'same-origin',
};

interface Cached {
  body: Buffer;
  gzip?: Buffer;
  type: string;
}

export class ConsoleAssets {
  private readonly cache = new Map<string, Promise<Cached | undefined>>();

  /** `directory`: the console's build output (its index.html and assets/); undefined: the console is not built. */
  constructor(private readonly directory: string | undefined) {}

  static isConsolePath(pathname: string): boolean {
    return pathname === CONSOLE_PATH || pathname.startsWith(`${CONSOLE_PATH}/`);
  }

  async serve(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') return send(res, 405, 'text/plain; charset=utf-8', Buffer.from('Method not allowed\n'), { Allow: 'GET, HEAD' });
    if (pathname === CONSOLE_PATH) return send(res, 308, 'text/plain; charset=utf-8', Buffer.from(''), { Location: `${CONSOLE_PATH}/` });
    if (this.directory === undefined) {
      return send(res, 404, 'text/plain; charset=utf-8', Buffer.from('The console is not built: run `npm run build -w @baton/console`.\n'));
    }
    const inAssets = pathname.startsWith(`${CONSOLE_PATH}/assets/`);
    const asset = /^\/console\/assets\/([A-Za-z0-9_-][A-Za-z0-9_.-]*)$/.exec(pathname)?.[1];
    // Under assets/ only plain file names exist (no traversal); any other console path is the page.
    const file = inAssets ? (asset !== undefined ? await this.load(join('assets', asset)) : undefined) : await this.load('index.html');
    if (!file) return send(res, 404, 'text/plain; charset=utf-8', Buffer.from('Not found\n'));
    const headers: Record<string, string> = asset !== undefined
      ? { 'Cache-Control': 'public, max-age=31536000, immutable', 'X-Content-Type-Options': 'nosniff' }
      : { ...PAGE_HEADERS };
    headers.Vary = 'Accept-Encoding';
    const gzip = file.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    if (gzip) headers['Content-Encoding'] = 'gzip';
    send(res, 200, file.type, gzip ? file.gzip! : file.body, headers, method === 'HEAD');
  }

  private load(relative: string): Promise<Cached | undefined> {
    let p = this.cache.get(relative);
    if (!p) {
      p = readFile(join(this.directory!, relative)).then(
        (body) => {
          const type = TYPES[extname(relative)] ?? 'application/octet-stream';
          const zipped = body.length > 1024 ? gzipSync(body) : undefined;
          return { body, type, ...(zipped && zipped.length < body.length ? { gzip: zipped } : {}) };
        },
        () => undefined,
      );
      // A missing file is not remembered (a build may add it); a found one is.
      p.then((f) => f ?? this.cache.delete(relative), () => this.cache.delete(relative));
      this.cache.set(relative, p);
    }
    return p;
  }
}

function send(res: ServerResponse, status: number, type: string, body: Buffer, headers: Record<string, string> = {}, headOnly = false): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': String(body.length), ...headers });
  res.end(headOnly ? undefined : body);
}
