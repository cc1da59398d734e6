/** Starts an ApiServer on 127.0.0.1:0 and builds real SDK clients and signed raw requests against it. */
import { createHash, createHmac } from 'node:crypto';
import { request } from 'node:http';
import { SFNClient, type SFNClientConfig } from '@aws-sdk/client-sfn';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SfnBackend } from '@baton/api-contract';
import { ApiServer, parseAccessKeys, type ApiServerOptions } from '../../src/index.js';

export const KEY_ID = 'AKIDBATONTEST';
export const SECRET = 'bAt0n-t3st-s3cret/DoNotLog+xyz';
export const API_KEY = 'rest-api-key-0123456789abcdef';

export interface Harness {
  server: ApiServer;
  url: string;
  logs: string[];
  client(config?: Partial<SFNClientConfig>): SFNClient;
  close(): Promise<void>;
}

export async function startServer(backend: SfnBackend, overrides: Partial<ApiServerOptions> = {}): Promise<Harness> {
  const logs: string[] = [];
  const capture = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    logs.push(JSON.stringify({ level, message, ...fields }));
  };
  const server = new ApiServer({
    backend,
    auth: { mode: 'sigv4', accessKeys: parseAccessKeys(`${KEY_ID}:${SECRET},OTHERKEY:other-secret`) },
    apiKeys: [API_KEY],
    logger: { info: capture('info'), warn: capture('warn'), error: capture('error') },
    ...overrides,
  });
  const { url } = await server.listen(0, '127.0.0.1');
  const clients: SFNClient[] = [];
  return {
    server,
    url,
    logs,
    client(config = {}) {
      const c = new SFNClient({
        endpoint: url,
        region: 'us-east-1',
        credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET },
        disableHostPrefix: true,
        maxAttempts: 1,
        ...config,
      });
      clients.push(c);
      return c;
    },
    async close() {
      clients.forEach((c) => c.destroy());
      await server.close();
    },
  };
}

class NodeSha256 {
  private hash;
  constructor(secret?: unknown) {
    this.hash = secret ? createHmac('sha256', secret as Buffer) : createHash('sha256');
  }
  update(data: unknown): void {
    this.hash.update(typeof data === 'string' ? data : Buffer.from(data as Uint8Array));
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {}
}

export interface RawRequest {
  target?: string;
  body: string;
  sign?: boolean;
  secret?: string;
  keyId?: string;
  signingDate?: Date;
  extraHeaders?: Record<string, string>;
}

/** Builds the headers of a SigV4-signed AWS JSON 1.0 request (so tests can send exact bytes with fetch). */
export async function signedHeaders(url: string, req: RawRequest): Promise<Record<string, string>> {
  const host = new URL(url).host;
  const headers: Record<string, string> = {
    host,
    'content-type': 'application/x-amz-json-1.0',
    ...(req.target ? { 'x-amz-target': req.target } : {}),
    ...req.extraHeaders,
  };
  if (req.sign === false) return headers;
  const signer = new SignatureV4({
    service: 'states',
    region: 'us-east-1',
    credentials: { accessKeyId: req.keyId ?? KEY_ID, secretAccessKey: req.secret ?? SECRET },
    sha256: NodeSha256 as never,
  });
  const signed = await signer.sign(
    { method: 'POST', protocol: 'http:', hostname: new URL(url).hostname, port: Number(new URL(url).port), path: '/', headers, body: req.body },
    req.signingDate ? { signingDate: req.signingDate } : {},
  );
  return signed.headers as Record<string, string>;
}

export async function rawCall(url: string, req: RawRequest): Promise<{ status: number; body: any; headers: Headers }> {
  const headers = await signedHeaders(url, req);
  delete headers.host;
  const res = await fetch(url, { method: 'POST', headers, body: req.body });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body, headers: res.headers };
}

/**
 * One raw HTTP/1.1 request with exactly these headers, Host and Origin included (fetch cannot set them): what a
 * browser on another site, or a DNS-rebound name, sends.
 */
export function rawHttp(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body = '',
): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, method, path, headers: { 'content-length': String(Buffer.byteLength(body)), ...headers }, setHost: false },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => {
          let parsed: unknown = text;
          try {
            parsed = JSON.parse(text);
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
