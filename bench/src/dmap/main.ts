/**
 * `npm run bench:dmap`: a Distributed Map at scale on the real roles. A CSV of `--rows` rows (default 100,000) in
 * s3rver (in this process, over HTTP), read by an ItemReader, batched 100 items per child, MaxConcurrency 1,000,
 * results exported by a ResultWriter, on `--workers` `baton worker` processes and a `baton timer`. Midway, the
 * worker that drives the Map Run (it holds the Map Run's lease) is SIGKILLed and replaced. Then it checks that
 * every item was counted once by DescribeMapRun and appears exactly once in the written results, and prints
 * items/s, child executions/s, each role's peak resident memory and the parent's history size. `--rows` is run
 * for each value of a comma-separated list (default 100000,300000: both keep 1,000 children running, so
 * the peaks compare item counts at the same concurrency). `--worker-heap-mb N` caps the workers' V8 old space.
 */
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Engine } from '@baton/engine';
import { BullmqQueue } from '@baton/queue';
import { PgStore } from '@baton/store';
import pg from 'pg';
import S3rver from 's3rver';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { intFlag, parseFlags } from '../common/args.js';
import { killAllChildren, processUsage, spawnRole, stopChild, type Child } from '../common/processes.js';
import { createScratch } from '../common/services.js';
import { round, sleep, table } from '../common/stats.js';

const flags = parseFlags(process.argv.slice(2));
const sizes = (flags.get('rows') ?? '100000,300000').split(',').map(Number);
const workers = intFlag(flags, 'workers', 3, 1);
const concurrency = intFlag(flags, 'concurrency', 16, 1);
/** Caps each worker's V8 old space (MiB, 0: Node's default): a Map Run whose memory grew with its items would die. */
const workerHeapMb = intFlag(flags, 'worker-heap-mb', 0, 0);
const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const log = (m: string): void => void process.stderr.write(`[bench:dmap ${new Date().toISOString().slice(11, 19)}] ${m}\n`);

interface Result {
  rows: number;
  seconds: number;
  itemsPerSecond: number;
  childrenPerSecond: number;
  killed: string;
  peakRss: Record<string, number>;
  historyEvents: number;
  counted: { total: number; succeeded: number; children: number; inResults: number; distinctInResults: number };
}

function definition(): object {
  return {
    StartAt: 'Rows',
    States: {
      Rows: {
        Type: 'Map', End: true, MaxConcurrency: 1000,
        ItemReader: { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' }, Parameters: { Bucket: 'bench', 'Key.$': '$.key' } },
        ItemBatcher: { MaxItemsPerBatch: 100 },
        ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'bench', Prefix: 'results' } },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'Count',
          States: { Count: { Type: 'Pass', Parameters: { 'n.$': 'States.ArrayLength($.Items)' }, End: true } },
        },
      },
    },
  };
}

async function runOnce(rows: number, s3: S3Client, endpoint: string): Promise<Result> {
  const scratch = await createScratch('dmap', adminUrl, redisUrl);
  const store = new PgStore({ connectionString: scratch.url, maxConnections: 10, applicationName: 'baton-bench-dmap' });
  const queue = new BullmqQueue({ redisUrl, prefix: scratch.prefix });
  const engine = new Engine({ store, queue });
  const pool = new pg.Pool({ connectionString: scratch.url, max: 2 });
  const fleet: Child[] = [];
  const peaks: Record<string, number> = {};
  try {
    await store.migrate();
    const key = `rows-${rows}.csv`;
    const lines = ['id,name,amount'];
    for (let i = 0; i < rows; i++) lines.push(`${i},row ${i},${(i * 7) % 1000}`);
    await s3.send(new PutObjectCommand({ Bucket: 'bench', Key: key, Body: lines.join('\n') + '\n' }));
    const env = {
      DATABASE_URL: scratch.url, REDIS_URL: redisUrl, BATON_QUEUE_PREFIX: scratch.prefix, BATON_AUTO_MIGRATE: 'false',
      BATON_WORKER_CONCURRENCY: String(concurrency), AWS_ENDPOINT_URL_S3: endpoint, BATON_S3_FORCE_PATH_STYLE: 'true',
      AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey, AWS_REGION: 'us-east-1',
      ...(workerHeapMb > 0 ? { NODE_OPTIONS: `--max-old-space-size=${workerHeapMb}` } : {}),
    };
    const worker = (i: number) => spawnRole('worker', `worker-${i}`, { ...env, BATON_WORKER_ID: `bench-w${i}` });
    fleet.push(...(await Promise.all([...Array.from({ length: workers }, (_, i) => worker(i)), spawnRole('timer', 'timer', env)])));
    const sm = await engine.createStateMachine({ name: 'dmap', definition: JSON.stringify(definition()), roleArn: 'arn:aws:iam::123456789012:role/bench' });
    const began = Date.now();
    const { executionArn } = await engine.startExecution({ stateMachineArn: sm.stateMachineArn, input: JSON.stringify({ key }) });
    let killed = '';
    let lastLog = 0;
    const sample = (): void => {
      for (const c of fleet) {
        const u = processUsage(c.proc.pid!);
        if (u) peaks[c.name] = Math.max(peaks[c.name] ?? 0, u.rssBytes);
      }
      peaks['bench (API side)'] = Math.max(peaks['bench (API side)'] ?? 0, process.memoryUsage().rss);
    };
    for (;;) {
      sample();
      const d = await engine.describeExecution({ executionArn });
      if (d.status !== 'RUNNING') break;
      const runs = await engine.listMapRuns({ executionArn });
      const mapRunArn = runs.mapRuns[0]?.mapRunArn;
      if (mapRunArn && Date.now() - lastLog > 2_000) {
        lastLog = Date.now();
        const p = await engine.describeMapRun({ mapRunArn });
        log(`  read ${p.itemCounts.total}, children running ${p.executionCounts.running}, succeeded ${p.executionCounts.succeeded} (${p.itemCounts.succeeded} items)`);
      }
      if (mapRunArn && !killed) {
        const m = await engine.describeMapRun({ mapRunArn });
        if (m.itemCounts.succeeded >= rows / 2) {
          const owner = (await pool.query<{ lease_owner: string | null }>('SELECT lease_owner FROM map_runs WHERE arn = $1', [mapRunArn])).rows[0]?.lease_owner;
          const i = Math.max(0, fleet.findIndex((c) => owner === `bench-w${c.name.slice('worker-'.length)}`));
          const victim = fleet[i]!;
          killed = `${victim.name} (${owner === `bench-w${i}` ? 'the Map Run driver' : 'not the driver'}) at ${m.itemCounts.succeeded} items`;
          log(`SIGKILL ${killed}`);
          victim.proc.kill('SIGKILL');
          for (const c of fleet) if (c !== victim && (c.proc.exitCode !== null || c.proc.signalCode !== null)) throw new Error(`${c.name} died:\n${c.stderr().slice(-2000)}`);
          await victim.exited;
          fleet[i] = await worker(i);
        }
      }
      for (const c of fleet) if (c.proc.exitCode !== null) throw new Error(`${c.name} exited ${c.proc.exitCode}:\n${c.stderr().slice(-2000)}`);
      if (Date.now() - began > 20 * 60_000) throw new Error('the Distributed Map did not finish within 20 minutes');
      await sleep(250);
    }
    const seconds = (Date.now() - began) / 1000;
    const done = await engine.describeExecution({ executionArn });
    if (done.status !== 'SUCCEEDED') throw new Error(`parent ended ${done.status}: ${done.error} ${done.cause}`);
    const mapRunArn = (await engine.listMapRuns({ executionArn })).mapRuns[0]!.mapRunArn;
    const m = await engine.describeMapRun({ mapRunArn });
    const ids = await idsInResults(s3, JSON.parse(done.output!) as { ResultWriterDetails: { Key: string } });
    const history = await engine.getExecutionHistory({ executionArn, maxResults: 1000 });
    return {
      rows, seconds: round(seconds, 1), itemsPerSecond: round(rows / seconds, 0), childrenPerSecond: round(m.executionCounts.total / seconds, 1), killed,
      peakRss: Object.fromEntries(Object.entries(peaks).map(([k, v]) => [k, round(v / 2 ** 20, 0)])),
      historyEvents: history.events.length,
      counted: { total: m.itemCounts.total, succeeded: m.itemCounts.succeeded, children: m.executionCounts.total, inResults: ids.length, distinctInResults: new Set(ids).size },
    };
  } finally {
    for (const c of fleet) await stopChild(c).catch(() => undefined);
    await engine.close();
    await queue.close().catch(() => undefined);
    await store.close();
    await pool.end();
    await scratch.drop();
  }
}

/** Every row id in the SUCCEEDED files the manifest lists (each entry's Input holds its batch). */
async function idsInResults(s3: S3Client, output: { ResultWriterDetails: { Key: string } }): Promise<string[]> {
  const text = async (Key: string) => (await s3.send(new GetObjectCommand({ Bucket: 'bench', Key }))).Body!.transformToString();
  const manifest = JSON.parse(await text(output.ResultWriterDetails.Key)) as { ResultFiles: { SUCCEEDED: { Key: string }[] } };
  const ids: string[] = [];
  for (const f of manifest.ResultFiles.SUCCEEDED) {
    for (const entry of JSON.parse(await text(f.Key)) as { Input: string }[]) {
      for (const item of (JSON.parse(entry.Input) as { Items: { id: string }[] }).Items) ids.push(item.id);
    }
  }
  return ids;
}

async function main(): Promise<number> {
  const directory = mkdtempSync(join(tmpdir(), 'baton-bench-s3-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: 'bench', configs: [] }] });
  const { port } = (await server.run()) as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  const s3 = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: CREDENTIALS, requestChecksumCalculation: 'WHEN_REQUIRED' });
  const stop = (): void => {
    killAllChildren();
    process.exit(130);
  };
  process.once('SIGINT', stop);
  let failed = false;
  try {
    const results: Result[] = [];
    for (const rows of sizes) {
      log(`${rows} CSV rows, 100 per child, MaxConcurrency 1000, ResultWriter on; ${workers} workers x ${concurrency}`);
      results.push(await runOnce(rows, s3, endpoint));
    }
    const roles = [...new Set(results.flatMap((r) => Object.keys(r.peakRss)))];
    console.log(table([
      ['rows', 'seconds', 'items/s', 'children/s', 'history events', 'DescribeMapRun total/succeeded', 'children', 'ids in results (distinct)', ...roles.map((r) => `peak RSS MiB ${r}`)],
      ...results.map((r) => [
        r.rows, r.seconds, r.itemsPerSecond, r.childrenPerSecond, r.historyEvents, `${r.counted.total}/${r.counted.succeeded}`, r.counted.children,
        `${r.counted.inResults} (${r.counted.distinctInResults})`, ...roles.map((k) => r.peakRss[k] ?? '-'),
      ]),
    ]));
    for (const r of results) {
      console.log(`${r.rows} rows: killed ${r.killed || 'nothing (finished before half)'}`);
      const exact = r.counted.total === r.rows && r.counted.succeeded === r.rows && r.counted.inResults === r.rows && r.counted.distinctInResults === r.rows;
      if (!exact) {
        failed = true;
        console.log(`  NOT every item counted exactly once: ${JSON.stringify(r.counted)}`);
      }
    }
    console.log(`DMAP_RESULT ${JSON.stringify(results)}`);
  } finally {
    s3.destroy();
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  }
  return failed ? 1 : 0;
}

main().then((code) => process.exit(code), (e) => {
  console.error(e);
  killAllChildren();
  process.exit(1);
});
