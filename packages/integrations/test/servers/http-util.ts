/** Small helpers shared by the wire-level test servers (bind 127.0.0.1, port 0; read a JSON body). */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RunningServer {
  readonly endpoint: string;
  close(): Promise<void>;
}

export async function listen(handler: (req: IncomingMessage, body: string, res: ServerResponse) => Promise<unknown> | unknown): Promise<RunningServer & { server: Server }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      Promise.resolve(handler(req, Buffer.concat(chunks).toString('utf8'), res)).catch((err: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(err));
      });
    });
  });
  // AWS's front ends keep connections alive without announcing a `Keep-Alive: timeout=` header; Node sends one
  // unless the timeout is 0, and it would show in the optimized integrations' SdkHttpMetadata.
  server.keepAliveTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    server,
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((err) => (err ? reject(err) : resolve()));
    }),
  };
}

/** An AWS JSON-protocol (1.0 / 1.1) error: `__type` names the error, `message` explains it. */
export function jsonError(res: ServerResponse, status: number, contentType: string, type: string, message: string, requestId: string): void {
  const body = JSON.stringify({ __type: type, message });
  res.writeHead(status, { 'content-type': contentType, 'x-amzn-requestid': requestId, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

export function jsonReply(res: ServerResponse, contentType: string, value: unknown, requestId: string): void {
  const body = JSON.stringify(value);
  res.writeHead(200, { 'content-type': contentType, 'x-amzn-requestid': requestId, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

/** Who signed a request: the access key id of its SigV4 `Authorization` header and its session token, if any. */
export interface Caller {
  accessKeyId: string | undefined;
  sessionToken: string | undefined;
}

export function callerOf(req: IncomingMessage): Caller {
  const m = /Credential=([^/,\s]+)\//.exec(String(req.headers.authorization ?? ''));
  const token = req.headers['x-amz-security-token'];
  return { accessKeyId: m?.[1], sessionToken: typeof token === 'string' ? token : undefined };
}

/** The operation of an AWS JSON-protocol request (`X-Amz-Target: <prefix>.<Operation>`), or undefined. */
export function jsonTarget(req: IncomingMessage, prefix: string): string | undefined {
  const target = String(req.headers['x-amz-target'] ?? '');
  return target.startsWith(`${prefix}.`) ? target.slice(prefix.length + 1) : undefined;
}
