/**
 * A wire-level Lambda endpoint that answers at once: `POST /2015-03-31/functions/<name>/invocations` returns the
 * request's payload (what the real Invoke API returns for a function that echoes its event), status 200 and the
 * headers the SDK reads. Baton's workers reach it through `AWS_ENDPOINT_URL_LAMBDA`, the ceiling and DBOS with a
 * plain POST, so every side pays one HTTP round trip per task.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LambdaServer {
  url: string;
  invocations(): number;
  close(): Promise<void>;
}

export async function startLambdaServer(): Promise<LambdaServer> {
  let count = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || !/^\/2015-03-31\/functions\/[^/]+\/invocations/.test(req.url ?? '')) {
        res.writeHead(404, { 'content-type': 'application/json', 'x-amzn-errortype': 'ResourceNotFoundException' });
        res.end(JSON.stringify({ Type: 'User', message: `no route ${req.method} ${req.url}` }));
        return;
      }
      count++;
      const body = chunks.length > 0 ? Buffer.concat(chunks) : Buffer.from('{}');
      res.writeHead(200, { 'content-type': 'application/json', 'x-amz-executed-version': '$LATEST', 'content-length': body.length });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    invocations: () => count,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** One call as the ceiling and the DBOS peer make it (a keep-alive POST, the body read to the end). */
export async function invokeLambda(baseUrl: string, payload: unknown): Promise<unknown> {
  const res = await fetch(`${baseUrl}/2015-03-31/functions/bench-echo/invocations`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(payload),
  });
  if (res.status !== 200) throw new Error(`lambda answered ${res.status}`);
  return res.json();
}
