/**
 * Distributed Map reading an S3 Inventory report (ItemReader InputType MANIFEST) through the engine, against s3rver
 * over HTTP: the report's manifest.json names gzipped CSV data files in its destination bucket, each row becomes an
 * item keyed by the manifest's fileSchema; MaxItems; a missing data file or an ORC report is States.ItemReaderFailed;
 * and reading resumes from a position in the second data file without giving out the first file's rows again.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Json } from '@baton/asl';
import { createMapRunStorage } from '@baton/integrations';
import { Harness } from '../engine/support/harness.js';
import { S3RVER_CREDENTIALS, startS3rver, type S3Emulator } from '../../packages/integrations/test/support/s3rver.js';

let s3rver: S3Emulator;
let h: Harness;
let s3: S3Client;
const options = () => ({ region: 'us-east-1', endpoints: { s3: s3rver.endpoint }, s3ForcePathStyle: true, credentials: S3RVER_CREDENTIALS });

beforeAll(async () => {
  s3rver = await startS3rver(['reports', 'source']);
  s3 = new S3Client({ region: 'us-east-1', endpoint: s3rver.endpoint, forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
  h = await Harness.start({ label: 'maprun_manifest', workers: 2, timers: 1, engine: { mapRunPollMs: 20, mapRunStorage: createMapRunStorage(options(), 'us-east-1') } });
}, 60_000);
afterAll(async () => {
  await h?.stop();
  s3?.destroy();
  await s3rver?.close();
});

const PREFIX = 'inv/source/daily';
const put = (key: string, body: string | Buffer) => s3.send(new PutObjectCommand({ Bucket: 'reports', Key: key, Body: body }));
const csv = (rows: string[][]) => gzipSync(rows.map((r) => r.map((v) => `"${v}"`).join(',')).join('\n') + '\n');

const FILE_1 = [
  ['source', 'csvDataset/', '0', '2022-11-16T00:27:19.000Z'],
  ['source', 'csvDataset/titles.csv', '3399671', '2022-11-16T00:29:32.000Z'],
];
const FILE_2 = [
  ['source', 'imageDataset/n02085620_10074.jpg', '27034', '2022-11-16T00:29:33.000Z'],
  ['source', 'imageDataset/with%20space.jpg', '12', '2022-11-16T00:29:34.000Z'],
];
const item = ([Bucket, Key, Size, LastModifiedDate]: string[]) => ({ Bucket, Key, Size, LastModifiedDate });

/** A manifest.json as S3 Inventory writes it (the fields Baton reads, and the others it ignores). */
async function writeReport(name: string, files: string[], fileFormat = 'CSV'): Promise<string> {
  const key = `${PREFIX}/${name}/manifest.json`;
  await put(key, JSON.stringify({
    sourceBucket: 'source', destinationBucket: 'arn:aws:s3:::reports', version: '2016-11-30', creationTimestamp: '1668560400000',
    fileFormat, fileSchema: 'Bucket, Key, Size, LastModifiedDate',
    files: files.map((f) => ({ key: f, size: 100, MD5checksum: 'f11166069f1990abeb9c97ace9cdfabc' })),
  }));
  return key;
}

function machine(reader: object, extra: object = {}) {
  return {
    StartAt: 'Map',
    States: {
      Map: {
        Type: 'Map', End: true, ItemReader: reader, ...extra,
        ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } },
      },
    },
  };
}

const reader = (key: string, config: object = {}) => ({
  Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'MANIFEST', ...config }, Parameters: { Bucket: 'reports', Key: key },
});

async function run(name: string, definition: object, input: Json = {}) {
  const sm = await h.createStateMachine(name, definition);
  const arn = await h.start(sm, input);
  return { arn, d: await h.finished(arn, 30_000) };
}

/** What each child execution of the execution's Map Run received, in item order. */
async function childInputs(arn: string): Promise<Json[]> {
  const mapRunArn = (await h.api.listMapRuns({ executionArn: arn })).mapRuns[0]!.mapRunArn;
  const children = (await h.api.listExecutions({ mapRunArn })).executions ?? [];
  const described = await Promise.all(children.map((c) => h.api.describeExecution({ executionArn: c.executionArn! })));
  return described.map((d) => JSON.parse(d.input!) as Json).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

describe('Distributed Map reading an S3 Inventory report', () => {
  beforeAll(async () => {
    await put(`${PREFIX}/data/one.csv.gz`, csv(FILE_1));
    await put(`${PREFIX}/data/two.csv.gz`, csv(FILE_2));
  });

  it('gives each row of every data file to a child, keyed by fileSchema, values as the CSV holds them', async () => {
    const manifest = await writeReport('2022-11-16T00-00Z', [`${PREFIX}/data/one.csv.gz`, `${PREFIX}/data/two.csv.gz`]);
    const { d, arn } = await run('manifest-all', machine(reader(manifest, { ManifestType: 'S3_INVENTORY' })));
    expect(d.status).toBe('SUCCEEDED');
    const expected = [...FILE_1, ...FILE_2].map(item);
    expect(JSON.parse(d.output!)).toEqual(expected);
    expect(await childInputs(arn)).toEqual([...expected].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))));
    const mapRunArn = (await h.api.listMapRuns({ executionArn: arn })).mapRuns[0]!.mapRunArn;
    expect((await h.api.describeMapRun({ mapRunArn })).itemCounts).toMatchObject({ total: 4, succeeded: 4 });
  });

  it('stops at MaxItems, across data files', async () => {
    const manifest = await writeReport('max', [`${PREFIX}/data/one.csv.gz`, `${PREFIX}/data/two.csv.gz`]);
    const { d } = await run('manifest-max', machine(reader(manifest, { MaxItems: 3 })));
    expect(JSON.parse(d.output!)).toEqual([...FILE_1, FILE_2[0]!].map(item));
  });

  it('fails with States.ItemReaderFailed when a data file is missing', async () => {
    const manifest = await writeReport('missing', [`${PREFIX}/data/one.csv.gz`, `${PREFIX}/data/gone.csv.gz`]);
    const { d, arn } = await run('manifest-missing', machine(reader(manifest)));
    expect(d).toMatchObject({ status: 'FAILED', error: 'States.ItemReaderFailed' });
    expect(d.cause).toContain('gone.csv.gz');
    expect(await h.types(arn)).toContain('MapRunFailed');
  });

  it('fails with States.ItemReaderFailed naming a data file that is not gzip', async () => {
    await put(`${PREFIX}/data/plain.csv.gz`, '"source","k","1","2022-11-16T00:27:19.000Z"\n');
    const manifest = await writeReport('not-gzip', [`${PREFIX}/data/plain.csv.gz`]);
    const { d } = await run('manifest-not-gzip', machine(reader(manifest)));
    expect(d).toMatchObject({ status: 'FAILED', error: 'States.ItemReaderFailed' });
    expect(d.cause).toContain('plain.csv.gz could not be read');
  });

  it('refuses an ORC inventory report with States.ItemReaderFailed', async () => {
    const manifest = await writeReport('orc', [`${PREFIX}/data/one.orc`], 'ORC');
    const { d } = await run('manifest-orc', machine(reader(manifest)));
    expect(d).toMatchObject({ status: 'FAILED', error: 'States.ItemReaderFailed' });
    expect(d.cause).toContain('only CSV inventory reports');
  });

  it('refuses ManifestType ATHENA_DATA at create time', async () => {
    await expect(h.createStateMachine('manifest-athena', machine(reader('m.json', { ManifestType: 'ATHENA_DATA' }))))
      .rejects.toThrow(/ManifestType "ATHENA_DATA" is not supported by Baton/);
  });

  it('resumes from a position in the second data file', async () => {
    const manifest = await writeReport('resume', [`${PREFIX}/data/one.csv.gz`, `${PREFIX}/data/two.csv.gz`]);
    const storage = createMapRunStorage(options(), 'us-east-1');
    const source = { kind: 's3:getObject' as const, bucket: 'reports', key: manifest, reader: { inputType: 'MANIFEST' as const, maxItems: 0 } };
    const first: Json[] = [];
    const positions: Json[] = [];
    for await (const r of storage.read(source, null, new AbortController().signal)) {
      first.push(r.item);
      positions.push(r.position);
      if (first.length === 3) break;
    }
    // After the first file's last row, the position is the second file's start: resuming there skips the first file.
    expect(positions).toEqual([{ file: 0, rows: 1 }, { file: 1, rows: 0 }, { file: 1, rows: 1 }]);
    const fromBoundary: Json[] = [];
    for await (const r of storage.read(source, positions[1]!, new AbortController().signal)) fromBoundary.push(r.item);
    expect(fromBoundary).toEqual(FILE_2.map(item));
    const position = positions[2]!;
    const rest: Json[] = [];
    for await (const r of storage.read(source, position, new AbortController().signal)) rest.push(r.item);
    expect(rest).toEqual([item(FILE_2[1]!)]);
    expect([...first, ...rest]).toEqual([...FILE_1, ...FILE_2].map(item));
  });
});
