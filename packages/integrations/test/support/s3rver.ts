/**
 * s3rver (an S3 emulator from npm) started in-process on 127.0.0.1 with an ephemeral port and a temporary
 * folder. It answers path-style requests, knows only the key pair it is given, and stores aws-chunked uploads
 * undecoded (the clients Baton builds send checksums only when an operation requires them).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

export interface S3Emulator {
  endpoint: string;
  close(): Promise<void>;
}

export async function startS3rver(buckets: readonly string[] = []): Promise<S3Emulator> {
  const directory = mkdtempSync(join(tmpdir(), 'baton-s3rver-'));
  const server = new S3rver({
    port: 0, address: '127.0.0.1', silent: true, directory,
    configureBuckets: buckets.map((name) => ({ name, configs: [] })),
  });
  const address = (await server.run()) as { address: string; port: number };
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
