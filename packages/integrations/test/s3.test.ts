import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import type { JsonObject } from '@baton/asl';
import { startEmulators, type Emulators } from './support/emulators.js';
import { runWithInvoker } from './support/run-with-invoker.js';

let emu: Emulators;
beforeAll(async () => {
  emu = await startEmulators();
  await emu.createBucket('items');
});
afterAll(async () => {
  await emu?.close();
});

const s3Task = (action: string, parameters: JsonObject): JsonObject => ({
  StartAt: 'T', States: { T: { Type: 'Task', Resource: `arn:aws:states:::aws-sdk:s3:${action}`, Parameters: parameters, End: true } },
});
const run = async (action: string, parameters: JsonObject) => runWithInvoker(s3Task(action, parameters), emu.invoker());

describe('aws-sdk:s3:* against s3rver', () => {
  it('putObject sends the Body as its JSON text (strings quoted, as AWS recorded), getObject returns the Body as a string', async () => {
    const put = await run('putObject', { Bucket: 'items', Key: 'doc.json', Body: { Dict: 'Value' } });
    expect(put.status).toBe('SUCCEEDED');
    // The MD5 of {"Dict":"Value"}, as AWS recorded it for the same body.
    expect(put.output).toMatchObject({ ETag: '"49e31cee5aec8faf3345893addb14346"' });
    const stored = await emu.s3.send(new GetObjectCommand({ Bucket: 'items', Key: 'doc.json' }));
    expect(await stored.Body!.transformToString()).toBe('{"Dict":"Value"}');
    const got = await run('getObject', { Bucket: 'items', Key: 'doc.json' });
    expect(got.status).toBe('SUCCEEDED');
    expect(got.output).toMatchObject({ Body: '{"Dict":"Value"}', ContentLength: 16, ETag: '"49e31cee5aec8faf3345893addb14346"', Metadata: {} });
    expect((got.output as JsonObject).LastModified).toMatch(/^\d{4}-\d\d-\d\dT/);
    for (const [body, etag] of [[false, '"68934a3e9455fa72420237eb05902327"'], [0, '"cfcd208495d565ef66e7dff9f98764da"'], ['text data', '"2b5df3712557f503a9977a8ea893b2c9"' /* MD5 of "text data" with its quotes */]] as const) {
      expect((await run('putObject', { Bucket: 'items', Key: 'v', Body: body })).output).toMatchObject({ ETag: etag });
    }
  });

  it('headObject, listObjectsV2, copyObject and deleteObject', async () => {
    await emu.putObject('items', 'a/one.txt', 'one');
    await emu.putObject('items', 'a/two.txt', 'two two');
    const head = await run('headObject', { Bucket: 'items', Key: 'a/two.txt' });
    expect(head.output).toMatchObject({ ContentLength: 7 });
    expect((head.output as JsonObject).Body).toBeUndefined();
    const listed = await run('listObjectsV2', { Bucket: 'items', Prefix: 'a/' });
    expect(listed.status).toBe('SUCCEEDED');
    expect(((listed.output as JsonObject).Contents as JsonObject[]).map((o) => [o.Key, o.Size])).toEqual([['a/one.txt', 3], ['a/two.txt', 7]]);
    const copied = await run('copyObject', { Bucket: 'items', Key: 'b/copy.txt', CopySource: 'items/a/one.txt' });
    expect(copied.status).toBe('SUCCEEDED');
    expect((await run('getObject', { Bucket: 'items', Key: 'b/copy.txt' })).output).toMatchObject({ Body: 'one' });
    expect((await run('deleteObject', { Bucket: 'items', Key: 'b/copy.txt' })).status).toBe('SUCCEEDED');
    const gone = await run('getObject', { Bucket: 'items', Key: 'b/copy.txt' });
    expect(gone).toMatchObject({ status: 'FAILED', error: 'S3.NoSuchKeyException' });
  });

  it('names errors S3.<Name>Exception with the Extended Request ID in the cause', async () => {
    const r = await run('listObjects', { Bucket: 'no-such-bucket-here' });
    expect(r).toMatchObject({ status: 'FAILED', error: 'S3.NoSuchBucketException' });
    expect(r.cause).toMatch(/^The specified bucket does not exist \(Service: S3, Status Code: 404, Request ID: [^,]*, Extended Request ID: [^)]*\)$/);
  });

  it('an object over the 256 KiB payload limit fails with States.DataLimitExceeded; event streams are refused', async () => {
    await emu.putObject('items', 'big.bin', 'x'.repeat(256 * 1024 + 1));
    const big = await run('getObject', { Bucket: 'items', Key: 'big.bin' });
    expect(big).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
    await emu.putObject('items', 'edge.bin', 'y'.repeat(200 * 1024));
    expect(((await run('getObject', { Bucket: 'items', Key: 'edge.bin' })).output as JsonObject).Body).toHaveLength(200 * 1024);
    const select = await run('selectObjectContent', { Bucket: 'items', Key: 'big.bin', Expression: 'select * from s3object', ExpressionType: 'SQL', InputSerialization: {}, OutputSerialization: {} });
    expect(select).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });
});
