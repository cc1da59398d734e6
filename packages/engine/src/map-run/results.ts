/**
 * A Map Run's results, read back from its children in index order, a page at a time (memory does not grow with
 * the child count). Without a ResultWriter (or with WriterConfig only) they become the Map state's result, up to
 * the payload limit. With one, they are exported to S3 as AWS lays them out ("ResultWriter (Map)"):
 * `<Prefix>/<Map Run id>/SUCCEEDED_0.json` and `FAILED_0.json` (failed, timed out and aborted children), streamed,
 * then `manifest.json` listing them, and the state's result is `{"MapRunArn", "ResultWriterDetails": {"Bucket", "Key"}}`.
 * PENDING files are never written: Baton reads items only as it starts children, so an ended Map Run has no
 * item that was read and not started (the manifest lists PENDING as empty).
 */
import { jsonByteLength, resultEntries, type Json, type WriterSpec } from '@baton/asl';
import type { MapRunRecord, MapRunRepo, MapRunStorage } from './ports.js';
import { ResultWriterFailure } from './ports.js';

const PAGE = 500;

type Child = Awaited<ReturnType<MapRunRepo['children']>>[number];

async function* childrenOf(repo: MapRunRepo, id: string, keep: (c: Child) => boolean): AsyncGenerator<Child> {
  for (let from = 0; ;) {
    const page = await repo.children(id, from, PAGE);
    for (const c of page) if (keep(c)) yield c;
    if (page.length < PAGE) return;
    from = page[page.length - 1]!.index + 1;
  }
}

/** The result array, or undefined when it would exceed `limit` bytes (reading stops there). */
export async function collectResults(repo: MapRunRepo, run: MapRunRecord, transformation: WriterSpec['transformation'], limit: number): Promise<Json[] | undefined> {
  const out: Json[] = [];
  let bytes = 2;
  for await (const c of childrenOf(repo, run.id, () => true)) {
    for (const entry of resultEntries(c, transformation)) {
      bytes += jsonByteLength(entry) + 1;
      if (bytes > limit) return undefined;
      out.push(entry);
    }
  }
  return out;
}

function join(...parts: string[]): string {
  return parts.filter((p) => p !== '').map((p, i) => (i === 0 ? p.replace(/\/+$/, '') : p.replace(/^\/+|\/+$/g, ''))).join('/');
}

/** Exports the results; returns the state's result and how many items and children they cover. */
export async function exportResults(
  repo: MapRunRepo, storage: MapRunStorage | undefined, run: MapRunRecord, writer: WriterSpec & { bucket: string }, region: string,
): Promise<{ output: Json; written: { items: number; children: number } }> {
  if (!storage) throw new ResultWriterFailure('This Baton has no S3 access configured for ResultWriter (set AWS_ENDPOINT_URL_S3 or AWS credentials)');
  const id = run.arn.split(':').pop()!;
  const base = join(writer.prefix ?? '', id);
  const written = { items: 0, children: 0 };
  const files = async (status: 'SUCCEEDED' | 'FAILED', count: number) => {
    if (count === 0) return [];
    const key = join(base, `${status}_0.json`);
    const keep = (c: Child) => (status === 'SUCCEEDED' ? c.status === 'SUCCEEDED' : c.status !== 'SUCCEEDED' && c.status !== 'RUNNING');
    async function* body(): AsyncGenerator<string> {
      let first = true;
      if (writer.outputType === 'JSON') yield '[';
      for await (const c of childrenOf(repo, run.id, keep)) {
        written.children++;
        written.items += c.itemCount;
        for (const entry of resultEntries(c, writer.transformation)) {
          yield writer.outputType === 'JSON' ? `${first ? '' : ','}${JSON.stringify(entry)}` : `${JSON.stringify(entry)}\n`;
          first = false;
        }
      }
      if (writer.outputType === 'JSON') yield ']';
    }
    const size = await write(storage, { bucket: writer.bucket, key, region }, body());
    return [{ Key: key, Size: size }];
  };
  const c = run.children;
  const succeeded = await files('SUCCEEDED', c.succeeded);
  const failed = await files('FAILED', c.failed + c.timedOut + c.aborted);
  const manifestKey = join(base, 'manifest.json');
  const manifest = { DestinationBucket: writer.bucket, MapRunArn: run.arn, ResultFiles: { FAILED: failed, PENDING: [], SUCCEEDED: succeeded } };
  await write(storage, { bucket: writer.bucket, key: manifestKey, region }, (async function* () { yield JSON.stringify(manifest); })());
  return { output: { MapRunArn: run.arn, ResultWriterDetails: { Bucket: writer.bucket, Key: manifestKey } }, written };
}

/** Whatever the storage throws ends the Map Run with States.ResultWriterFailed, its message as the cause. */
async function write(storage: MapRunStorage, target: { bucket: string; key: string; region: string }, body: AsyncIterable<string>): Promise<number> {
  try {
    return await storage.write(target, body);
  } catch (e) {
    throw new ResultWriterFailure(e instanceof Error ? e.message : String(e));
  }
}
