/**
 * S3 for Distributed Map Runs (the engine's MapRunStorage port, satisfied structurally): ItemReader sources read
 * as streams, never loaded whole, each item yielded with the position reading resumes from after it; results
 * uploaded as streamed multipart uploads (@aws-sdk/lib-storage). Through `ClientFactory.s3(region)`, so
 * AWS_ENDPOINT_URL_S3 and path-style addressing apply.
 *
 * - CSV (csv-parse; `info.bytes` gives each record's end offset) and JSONL: the position is the byte offset of the
 *   next record, and resuming is a ranged GetObject from there (the CSV header row, read once, travels in the
 *   position). AWS's CSV rules, as recorded: every value is a string, a row with fewer fields than headers gets
 *   "" for the rest, extra fields are dropped, duplicate headers are "CSV headers cannot contain duplicates.".
 * - JSON (a top-level array, @streamparser/json-node): the position is the number of elements read; resuming
 *   streams the object again and skips them. Anything but an array is "Attempting to map over non-iterable node."
 * - listObjectsV2: items {Etag, Key, LastModified (epoch seconds), Size, StorageClass}; the position is the page's
 *   continuation token and the index in the page.
 * - MANIFEST (an S3 Inventory report): the object is the report's `manifest.json`, read whole (it lists files, not
 *   objects); each data file in its `files` array is then streamed in order from the manifest's destination bucket,
 *   gunzipped (node's zlib) and parsed as CSV, and each row is an object keyed by the manifest's `fileSchema`
 *   (e.g. {Bucket, Key, Size, LastModifiedDate}), every value a string as the CSV holds it (keys stay URL-encoded,
 *   as S3 writes them). Only CSV reports: ORC and Parquet are refused, as AWS does. The position is the data
 *   file's index and the rows read from it (the next file's index and 0 after a file's last row); resuming skips
 *   those rows (a gzip stream cannot be entered mid-way).
 */
import { pipeline, Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { JSONParser } from '@streamparser/json';
import { parse } from 'csv-parse';
import { isJsonObject, type CsvDelimiter, type ItemSource, type Json, type JsonObject } from '@baton/asl';
import { ClientFactory } from './clients.js';
import type { TaskInvokerOptions } from './options.js';

type S3Source = Exclude<ItemSource, { kind: 'inline' }>;
type GetObjectSource = Extract<ItemSource, { kind: 's3:getObject' }>;

export interface ReadItem {
  item: Json;
  position: Json;
}

const DELIMITERS: Record<CsvDelimiter, string> = { COMMA: ',', PIPE: '|', SEMICOLON: ';', SPACE: ' ', TAB: '\t' };

export class MapRunS3Storage {
  constructor(private readonly clients: ClientFactory, private readonly region: string) {}

  read(source: S3Source, position: Json | null, signal: AbortSignal): AsyncIterable<ReadItem> {
    const s3 = this.clients.s3(this.region);
    if (source.kind === 's3:listObjectsV2') return listObjects(s3, source, position, signal);
    switch (source.reader.inputType) {
      case 'CSV':
        return csvItems(s3, source, position, signal);
      case 'JSONL':
        return jsonLines(s3, source, position, signal);
      case 'JSON':
        return jsonArray(s3, source, position, signal);
      case 'MANIFEST':
        return inventoryItems(s3, source, position, signal);
    }
  }

  async write(target: { bucket: string; key: string; region?: string }, body: AsyncIterable<string>): Promise<number> {
    let size = 0;
    async function* bytes(): AsyncGenerator<Buffer> {
      for await (const chunk of body) {
        const b = Buffer.from(chunk);
        size += b.length;
        yield b;
      }
    }
    const upload = new Upload({
      client: this.clients.s3(target.region ?? this.region),
      params: { Bucket: target.bucket, Key: target.key, Body: Readable.from(bytes()), ContentType: 'application/json' },
    });
    await upload.done();
    return size;
  }
}

/** S3 Inventory's manifest.json, as far as reading the report needs it. */
interface InventoryManifest {
  bucket: string;
  schema: string[];
  files: string[];
}

async function readInventoryManifest(s3: S3Client, source: GetObjectSource, signal: AbortSignal): Promise<InventoryManifest> {
  const body = await objectStream(s3, source, 0, signal);
  const chunks: Buffer[] = [];
  for await (const chunk of (body ?? []) as AsyncIterable<Buffer>) chunks.push(chunk);
  let manifest: Json;
  try {
    manifest = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json;
  } catch {
    throw new Error(`The S3 inventory manifest s3://${source.bucket}/${source.key} is not valid JSON`);
  }
  if (!isJsonObject(manifest)) throw new Error(`The S3 inventory manifest s3://${source.bucket}/${source.key} is not a JSON object`);
  const format = manifest.fileFormat;
  if (format !== 'CSV') {
    throw new Error(`The S3 inventory report's fileFormat ${JSON.stringify(format ?? null)} is not supported: only CSV inventory reports can be read (ORC and Parquet cannot)`);
  }
  if (typeof manifest.fileSchema !== 'string' || manifest.fileSchema.trim() === '') throw new Error('The S3 inventory manifest has no fileSchema');
  const schema = manifest.fileSchema.split(',').map((f) => f.trim());
  if (!Array.isArray(manifest.files)) throw new Error('The S3 inventory manifest has no files array');
  const files = manifest.files.map((f, i) => {
    if (!isJsonObject(f) || typeof f.key !== 'string') throw new Error(`The S3 inventory manifest's files[${i}] has no key`);
    return f.key;
  });
  // destinationBucket is the bucket's ARN ("arn:aws:s3:::name"); the data files are written beside the manifest.
  const destination = typeof manifest.destinationBucket === 'string' ? manifest.destinationBucket.replace(/^arn:[^:]+:s3:::/, '') : '';
  return { bucket: destination !== '' ? destination : source.bucket, schema, files };
}

async function* inventoryItems(s3: S3Client, source: GetObjectSource, position: Json | null, signal: AbortSignal): AsyncGenerator<ReadItem> {
  const at = isJsonObject(position) ? position : {};
  const manifest = await readInventoryManifest(s3, source, signal);
  const first = typeof at.file === 'number' ? at.file : 0;
  for (let file = first; file < manifest.files.length; file++) {
    const key = manifest.files[file]!;
    const skip = file === first && typeof at.rows === 'number' ? at.rows : 0;
    let body: Readable;
    try {
      body = (await s3.send(new GetObjectCommand({ Bucket: manifest.bucket, Key: key }), { abortSignal: signal })).Body as Readable;
    } catch (e) {
      throw new Error(`The S3 inventory data file s3://${manifest.bucket}/${key} could not be read: ${e instanceof Error ? e.message : String(e)}`);
    }
    const rows = parse({ relax_column_count: true, relax_quotes: true });
    // pipeline: a gunzip or network error destroys the parser with it, so the loop below throws it.
    if (key.endsWith('.gz')) pipeline(body, createGunzip(), rows, () => {});
    else pipeline(body, rows, () => {});
    let row = 0;
    // One row is held back so that the last row of a file carries the next file's start as its position: a Map Run
    // resumed there does not stream the finished file again.
    let held: JsonObject | undefined;
    const records = (rows as AsyncIterable<string[]>)[Symbol.asyncIterator]();
    try {
      for (;;) {
        let next: IteratorResult<string[]>;
        try {
          next = await records.next();
        } catch (e) {
          throw new Error(`The S3 inventory data file s3://${manifest.bucket}/${key} could not be read: ${e instanceof Error ? e.message : String(e)}`);
        }
        if (next.done) break;
        row++;
        if (row <= skip) continue;
        if (held) yield { item: held, position: { file, rows: row - 1 } };
        const item: JsonObject = {};
        manifest.schema.forEach((name, i) => (item[name] = next.value[i] ?? ''));
        held = item;
      }
      if (held) yield { item: held, position: { file: file + 1, rows: 0 } };
    } finally {
      // Stopped early (MaxItems, an abort): close the parser, and with it the gunzip and the S3 response.
      await records.return?.();
    }
  }
}

/** The object's body from `offset` on, as a Node stream (empty when the offset is at the end). */
async function objectStream(s3: S3Client, source: GetObjectSource, offset: number, signal: AbortSignal): Promise<Readable | undefined> {
  try {
    const r = await s3.send(new GetObjectCommand({
      Bucket: source.bucket, Key: source.key, ...(source.versionId !== undefined ? { VersionId: source.versionId } : {}),
      ...(offset > 0 ? { Range: `bytes=${offset}-` } : {}),
    }), { abortSignal: signal });
    return r.Body as Readable;
  } catch (e) {
    // A range starting at the end of the object: nothing left to read.
    if (offset > 0 && (e as { name?: string }).name === 'InvalidRange') return undefined;
    throw e;
  }
}

async function* csvItems(s3: S3Client, source: GetObjectSource, position: Json | null, signal: AbortSignal): AsyncGenerator<ReadItem> {
  const config = source.reader;
  const at = isJsonObject(position) ? position : {};
  const start = typeof at.offset === 'number' ? at.offset : 0;
  let headers: string[] | undefined = Array.isArray(at.headers) ? at.headers.map(String)
    : config.csvHeaderLocation === 'GIVEN' ? config.csvHeaders : undefined;
  const body = await objectStream(s3, source, start, signal);
  if (!body) return;
  const parser = body.pipe(parse({
    delimiter: DELIMITERS[config.csvDelimiter ?? 'COMMA'], info: true, relax_column_count: true, relax_quotes: true, bom: start === 0,
  }));
  for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { bytes: number } }>) {
    const offset = start + info.bytes;
    if (!headers) {
      if (new Set(record).size !== record.length) throw new Error('CSV headers cannot contain duplicates.');
      headers = record;
      continue;
    }
    const item: JsonObject = {};
    headers.forEach((h, i) => (item[h] = record[i] ?? ''));
    yield { item, position: { offset, ...(config.csvHeaderLocation === 'GIVEN' ? {} : { headers }) } };
  }
}

async function* jsonLines(s3: S3Client, source: GetObjectSource, position: Json | null, signal: AbortSignal): AsyncGenerator<ReadItem> {
  let offset = isJsonObject(position) && typeof position.offset === 'number' ? position.offset : 0;
  const body = await objectStream(s3, source, offset, signal);
  if (!body) return;
  let pending = Buffer.alloc(0);
  const line = function* (bytes: Buffer): Generator<ReadItem> {
    offset += bytes.length;
    const text = bytes.toString('utf8').trim();
    if (text !== '') yield { item: parseLine(text), position: { offset } };
  };
  for await (const chunk of body as AsyncIterable<Buffer>) {
    pending = Buffer.concat([pending, chunk]);
    for (let nl = pending.indexOf(10); nl >= 0; nl = pending.indexOf(10)) {
      yield* line(pending.subarray(0, nl + 1));
      pending = pending.subarray(nl + 1);
    }
  }
  if (pending.length > 0) yield* line(pending);
}

function parseLine(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    throw new Error(`A line of the JSONL file is not valid JSON: ${text.slice(0, 100)}`);
  }
}

async function* jsonArray(s3: S3Client, source: GetObjectSource, position: Json | null, signal: AbortSignal): AsyncGenerator<ReadItem> {
  const skip = isJsonObject(position) && typeof position.index === 'number' ? position.index : 0;
  const body = await objectStream(s3, source, 0, signal);
  if (!body) return;
  const parser = new JSONParser({ paths: ['$.*'], keepStack: false });
  const ready: Json[] = [];
  parser.onValue = ({ value }) => ready.push(value as Json);
  let index = 0;
  let started = false;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    if (!started) {
      const first = chunk.toString('utf8').trimStart();
      if (first === '') continue;
      if (!first.startsWith('[')) throw new Error('Attempting to map over non-iterable node.');
      started = true;
    }
    parser.write(chunk);
    for (const value of ready.splice(0)) {
      index++;
      if (index > skip) yield { item: value, position: { index } };
    }
  }
  if (!started) throw new Error('Attempting to map over non-iterable node.');
}

async function* listObjects(s3: S3Client, source: Extract<ItemSource, { kind: 's3:listObjectsV2' }>, position: Json | null, signal: AbortSignal): AsyncGenerator<ReadItem> {
  const at = isJsonObject(position) ? position : {};
  if (at.done === true) return;
  let token = typeof at.token === 'string' ? at.token : undefined;
  let skip = typeof at.skip === 'number' ? at.skip : 0;
  for (;;) {
    const page = await s3.send(new ListObjectsV2Command({
      Bucket: source.bucket, ...(source.prefix !== undefined ? { Prefix: source.prefix } : {}), ...(token !== undefined ? { ContinuationToken: token } : {}),
    }), { abortSignal: signal });
    const contents = page.Contents ?? [];
    for (let i = skip; i < contents.length; i++) {
      const o = contents[i]!;
      const item: JsonObject = {
        Etag: o.ETag ?? '', Key: o.Key ?? '', LastModified: o.LastModified ? Math.floor(o.LastModified.getTime() / 1000) : 0,
        Size: o.Size ?? 0, StorageClass: o.StorageClass ?? 'STANDARD',
      };
      yield { item, position: i + 1 < contents.length ? { ...(token !== undefined ? { token } : {}), skip: i + 1 } : nextPage(page.NextContinuationToken) };
    }
    if (!page.IsTruncated || page.NextContinuationToken === undefined) return;
    token = page.NextContinuationToken;
    skip = 0;
  }
}

function nextPage(token: string | undefined): Json {
  return token === undefined ? { done: true } : { token, skip: 0 };
}

/** The Map Run storage the apps give the engine: its own S3 clients from the same options as the task invoker. */
export function createMapRunStorage(options: TaskInvokerOptions, region: string): MapRunS3Storage {
  return new MapRunS3Storage(new ClientFactory(options), region);
}
