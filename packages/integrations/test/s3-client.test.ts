import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ClientFactory } from '../src/clients.js';
import { S3RVER_CREDENTIALS, startS3rver, type S3Emulator } from './support/s3rver.js';

describe('the S3 client', () => {
  let s3rver: S3Emulator;
  beforeAll(async () => {
    s3rver = await startS3rver(['items']);
  });
  afterAll(async () => {
    await s3rver?.close();
  });

  // The options as apps/cli/src/aws-env.ts builds them from AWS_ENDPOINT_URL_S3 and BATON_S3_FORCE_PATH_STYLE.
  it('reaches the S3 endpoint with path-style addressing when s3ForcePathStyle is set', async () => {
    const clients = new ClientFactory({ region: 'us-east-1', endpoints: { s3: s3rver.endpoint }, s3ForcePathStyle: true, credentials: S3RVER_CREDENTIALS });
    const s3 = clients.s3('us-east-1');
    await s3.send(new PutObjectCommand({ Bucket: 'items', Key: 'rows.csv', Body: 'a,b\n1,2\n' }));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'items', Key: 'rows.csv' }));
    expect(await got.Body?.transformToString()).toBe('a,b\n1,2\n');
    clients.destroy();
  });

  it('uses virtual-hosted addressing unless told otherwise', async () => {
    const endpoint = s3rver.endpoint.replace('127.0.0.1', 'localhost');
    const hosts: string[] = [];
    for (const s3ForcePathStyle of [false, true]) {
      const clients = new ClientFactory({ region: 'us-east-1', endpoints: { s3: endpoint }, s3ForcePathStyle, credentials: S3RVER_CREDENTIALS });
      const s3 = clients.s3('us-east-1');
      s3.middlewareStack.add(() => async (args) => {
        const req = args.request as { hostname: string; path: string };
        hosts.push(`${req.hostname}${req.path}`);
        throw new Error('stop here');
      }, { step: 'finalizeRequest' });
      await expect(s3.send(new GetObjectCommand({ Bucket: 'items', Key: 'rows.csv' }))).rejects.toThrow('stop here');
      clients.destroy();
    }
    expect(hosts).toEqual(['items.localhost/rows.csv', 'localhost/items/rows.csv']);
  });
});
