/**
 * Distributed Map with S3 through the engine, against s3rver over HTTP: CSV (header row, given headers, a
 * delimiter), JSON, JSONL and listObjectsV2 readers, MaxItems, ItemBatcher, and ResultWriter (manifest.json,
 * SUCCEEDED_0.json / FAILED_0.json, ResultWriterDetails); a missing object is States.ItemReaderFailed. And the
 * reader's positions: reading resumes after the last item given out, mid-file, without reading from the start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Json } from '@baton/asl';
import { createMapRunStorage } from '@baton/integrations';
import { Harness } from '../engine/support/harness.js';
import { S3RVER_CREDENTIALS, startS3rver, type S3Emulator } from '../../packages/integrations/test/support/s3rver.js';

let s3rver: S3Emulator;
let h: Harness;
let s3: S3Client;
const options = () => ({ region: 'us-east-1', endpoints: { s3: s3rver.endpoint }, s3ForcePathStyle: true, credentials: S3RVER_CREDENTIALS });

beforeAll(async () => {
  s3rver = await startS3rver(['in', 'out']);
  s3 = new S3Client({ region: 'us-east-1', endpoint: s3rver.endpoint, forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
  h = await Harness.start({ label: 'maprun_s3', workers: 2, timers: 1, engine: { mapRunPollMs: 20, mapRunStorage: createMapRunStorage(options(), 'us-east-1') } });
}, 60_000);
afterAll(async () => {
  await h?.stop();
  s3?.destroy();
  await s3rver?.close();
});

const put = (key: string, body: string) => s3.send(new PutObjectCommand({ Bucket: 'in', Key: key, Body: body }));
const get = async (bucket: string, key: string) => (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();

function machine(reader: object, extra: object = {}, processor: object = { P: { Type: 'Pass', End: true } }) {
  return {
    StartAt: 'Map',
    States: {
      Map: {
        Type: 'Map', End: true, ItemReader: reader, ...extra,
        ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'P', States: processor },
      },
    },
  };
}

async function run(name: string, definition: object, input: Json = {}) {
  const sm = await h.createStateMachine(name, definition);
  const arn = await h.start(sm, input);
  return { arn, d: await h.finished(arn, 30_000) };
}

describe('Distributed Map reading S3', () => {
  it('reads a CSV with a header row, as strings, padding short rows and dropping extra fields', async () => {
    await put('rows.csv', 'Col1,Col2,Col3\nValue1,Value2,Value3\n,,,\n"quoted, comma",x\n');
    const { d, arn } = await run('s3-csv', machine({ Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' }, Parameters: { Bucket: 'in', 'Key.$': '$.key' } }), { key: 'rows.csv' });
    expect(d.status).toBe('SUCCEEDED');
    expect(JSON.parse(d.output!)).toEqual([
      { Col1: 'Value1', Col2: 'Value2', Col3: 'Value3' }, { Col1: '', Col2: '', Col3: '' }, { Col1: 'quoted, comma', Col2: 'x', Col3: '' },
    ]);
    expect((await h.history(arn)).find((e) => e.type === 'MapStateStarted')?.mapStateStartedEventDetails).toEqual({ length: 0 });
  });

  it('reads given headers with another delimiter, and MaxItems', async () => {
    await put('semi.csv', 'a;b\nc;d\ne;f\n');
    const { d } = await run('s3-csv-given', machine({
      Resource: 'arn:aws:states:::s3:getObject', Parameters: { Bucket: 'in', Key: 'semi.csv' },
      ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'GIVEN', CSVHeaders: ['x', 'y'], CSVDelimiter: 'SEMICOLON', MaxItems: 2 },
    }));
    expect(JSON.parse(d.output!)).toEqual([{ x: 'a', y: 'b' }, { x: 'c', y: 'd' }]);
  });

  it('reads JSON arrays and JSONL, and fails with States.ItemReaderFailed on a missing key or a non-array', async () => {
    await put('items.json', JSON.stringify([{ n: 1 }, [2], 'three']));
    await put('items.jsonl', '{"n":1}\n\n{"n":2}\n');
    await put('object.json', JSON.stringify({ Hello: 'world' }));
    const reader = (Key: string, InputType: string) => ({ Resource: 'arn:aws:states:::s3:getObject', Parameters: { Bucket: 'in', Key }, ReaderConfig: { InputType } });
    expect(JSON.parse((await run('s3-json', machine(reader('items.json', 'JSON')))).d.output!)).toEqual([{ n: 1 }, [2], 'three']);
    expect(JSON.parse((await run('s3-jsonl', machine(reader('items.jsonl', 'JSONL')))).d.output!)).toEqual([{ n: 1 }, { n: 2 }]);
    expect((await run('s3-object', machine(reader('object.json', 'JSON')))).d).toMatchObject({
      status: 'FAILED', error: 'States.ItemReaderFailed', cause: 'Attempting to map over non-iterable node.',
    });
    const missing = await run('s3-missing', machine(reader('nope.json', 'JSON')));
    expect(missing.d).toMatchObject({ status: 'FAILED', error: 'States.ItemReaderFailed' });
    expect(await h.types(missing.arn)).toEqual(['ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'MapRunStarted', 'MapRunFailed', 'MapStateFailed', 'ExecutionFailed']);
  });

  it('lists objects under a prefix as items with Etag, Key, LastModified, Size and StorageClass', async () => {
    for (const i of [0, 1, 2]) await put(`listed/file_${i}.txt`, `${i}HelloWorld!`);
    const { d } = await run('s3-list', machine({ Resource: 'arn:aws:states:::s3:listObjectsV2', Parameters: { Bucket: 'in', Prefix: 'listed/' } }));
    const items = JSON.parse(d.output!) as { Key: string; Size: number; Etag: string; LastModified: number; StorageClass: string }[];
    expect(items.map((i) => [i.Key, i.Size])).toEqual([['listed/file_0.txt', 12], ['listed/file_1.txt', 12], ['listed/file_2.txt', 12]]);
    expect(Object.keys(items[0]!)).toEqual(['Etag', 'Key', 'LastModified', 'Size', 'StorageClass']);
    expect(typeof items[0]!.LastModified).toBe('number');
  });

  it('writes the results to S3 with a manifest, and returns ResultWriterDetails', async () => {
    await put('batch.csv', `id\n${Array.from({ length: 25 }, (_, i) => i).join('\n')}\n`);
    const processor = {
      P: { Type: 'Choice', Choices: [{ Variable: '$.Items[0].id', StringEquals: '20', Next: 'Bad' }], Default: 'Ok' },
      Bad: { Type: 'Fail', Error: 'Twenty', Cause: 'batch of 20' }, Ok: { Type: 'Pass', End: true },
    };
    const { d, arn } = await run('s3-writer', machine(
      { Resource: 'arn:aws:states:::s3:getObject', Parameters: { Bucket: 'in', Key: 'batch.csv' }, ReaderConfig: { InputType: 'CSV' } },
      {
        ItemBatcher: { MaxItemsPerBatch: 10 }, ToleratedFailureCount: 10, MaxConcurrency: 2,
        ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'out', Prefix: 'results' } },
      },
      processor,
    ));
    expect(d.status).toBe('SUCCEEDED');
    const mapRunArn = (await h.api.listMapRuns({ executionArn: arn })).mapRuns[0]!.mapRunArn;
    const id = mapRunArn.split(':').pop()!;
    expect(JSON.parse(d.output!)).toEqual({ MapRunArn: mapRunArn, ResultWriterDetails: { Bucket: 'out', Key: `results/${id}/manifest.json` } });
    const manifest = JSON.parse(await get('out', `results/${id}/manifest.json`)) as { ResultFiles: Record<string, { Key: string; Size: number }[]> };
    expect(manifest).toMatchObject({ DestinationBucket: 'out', MapRunArn: mapRunArn });
    expect(manifest.ResultFiles.PENDING).toEqual([]);
    const succeeded = JSON.parse(await get('out', `results/${id}/SUCCEEDED_0.json`)) as { Status: string; Output: string; ExecutionArn: string }[];
    const failed = JSON.parse(await get('out', `results/${id}/FAILED_0.json`)) as { Status: string; Error: string; Cause: string }[];
    expect(manifest.ResultFiles.SUCCEEDED).toEqual([{ Key: `results/${id}/SUCCEEDED_0.json`, Size: Buffer.byteLength(JSON.stringify(succeeded)) }]);
    expect(succeeded.map((s) => (JSON.parse(s.Output) as { Items: { id: string }[] }).Items.length)).toEqual([10, 10]);
    expect(failed).toEqual([expect.objectContaining({ Status: 'FAILED', Error: 'Twenty', Cause: 'batch of 20' })]);
    const mr = await h.api.describeMapRun({ mapRunArn });
    expect(mr.itemCounts).toMatchObject({ total: 25, succeeded: 20, failed: 5, resultsWritten: 25 });
    expect(mr.executionCounts).toMatchObject({ total: 3, succeeded: 2, failed: 1, resultsWritten: 3 });
  });
});

describe('the S3 result writer', () => {
  it('writes JSON Lines with the COMPACT transformation', async () => {
    await put('three.json', '[1,2,3]');
    const { d } = await run('s3-jsonl-out', machine(
      { Resource: 'arn:aws:states:::s3:getObject', Parameters: { Bucket: 'in', Key: 'three.json' }, ReaderConfig: { InputType: 'JSON' } },
      { ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'out' }, WriterConfig: { Transformation: 'COMPACT', OutputType: 'JSONL' } } },
    ));
    const key = (JSON.parse(d.output!) as { ResultWriterDetails: { Key: string } }).ResultWriterDetails.Key;
    const manifest = JSON.parse(await get('out', key)) as { ResultFiles: { SUCCEEDED: { Key: string }[] } };
    expect(await get('out', manifest.ResultFiles.SUCCEEDED[0]!.Key)).toBe('1\n2\n3\n');
  });
});

describe('the S3 item reader', () => {
  it('resumes after a given position (CSV and JSONL by byte offset, JSON by element count)', async () => {
    await put('resume.csv', 'h\n1\n2\n3\n4\n');
    await put('resume.jsonl', '1\n2\n3\n4\n');
    await put('resume.json', '[1,2,3,4]');
    const storage = createMapRunStorage(options(), 'us-east-1');
    const sources = [
      { kind: 's3:getObject' as const, bucket: 'in', key: 'resume.csv', reader: { inputType: 'CSV' as const, maxItems: 0 } },
      { kind: 's3:getObject' as const, bucket: 'in', key: 'resume.jsonl', reader: { inputType: 'JSONL' as const, maxItems: 0 } },
      { kind: 's3:getObject' as const, bucket: 'in', key: 'resume.json', reader: { inputType: 'JSON' as const, maxItems: 0 } },
    ];
    for (const source of sources) {
      const first: Json[] = [];
      let position: Json | null = null;
      for await (const r of storage.read(source, null, new AbortController().signal)) {
        first.push(r.item);
        position = r.position;
        if (first.length === 2) break;
      }
      const rest: Json[] = [];
      for await (const r of storage.read(source, position, new AbortController().signal)) rest.push(r.item);
      const expected = source.reader.inputType === 'CSV' ? ['1', '2', '3', '4'].map((h) => ({ h })) : [1, 2, 3, 4];
      expect([...first, ...rest], source.key).toEqual(expected);
      expect(rest.length, source.key).toBe(2);
    }
  });
});
