/**
 * The probe server of the roles without the API (worker, timer), on BATON_PROBE_PORT: `GET /healthz` (alive),
 * `GET /readyz` (readiness.ts) and `GET /metrics` (Prometheus text). Unauthenticated, like a kubelet's or
 * Prometheus' targets usually are: bind it to a private address (BATON_PROBE_HOST). Nothing else is served.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProbeHandlers {
  readiness(): Promise<{ status: number; body: string }>;
  metrics(req: IncomingMessage, res: ServerResponse): void;
}

export async function startProbeServer(
  where: { port: number; host: string }, handlers: ProbeHandlers,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const json = (status: number, body: string) => res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) }).end(body);
    if (req.method !== 'GET') return json(405, JSON.stringify({ message: 'only GET' }));
    if (path === '/healthz') return json(200, JSON.stringify({ status: 'ok' }));
    if (path === '/metrics') return handlers.metrics(req, res);
    if (path === '/readyz') {
      handlers.readiness().then((r) => json(r.status, r.body), (e: unknown) => json(503, JSON.stringify({ status: 'not ready', error: String(e) })));
      return;
    }
    json(404, JSON.stringify({ message: `No such endpoint: ${path}` }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(where.port, where.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const a = server.address() as AddressInfo;
  return {
    url: `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
