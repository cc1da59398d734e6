/**
 * A thread of the StartExecution section's clients (tasks.ts; `--start-threads`, default one): its share of the SDK
 * clients, each with its own connection, calling StartExecution on the `baton api` under test. The clients used to
 * run on the bench's main thread (beside its engine, pools and the heap of the earlier sections): the bench process
 * then spent 926-977 µs of CPU per start and the section gave 891-903 starts/s; on a thread of their own, 857-890 µs
 * and 1,031-1,074 starts/s (three alternating pairs, 7 December 2026; the API's CPU per start 592-663 µs either
 * way). What the main thread costs them was not taken apart. Two threads made it worse (909-936 starts/s; the
 * clients then spent 1,117-1,158 µs per start, competing with the API for the two CPUs). The threads are this
 * process's, so the section's CPU figures still count them.
 *
 * Messages: the thread warms its clients (one start each) and posts `ready`; on `go` it runs its calls (the indices
 * `thread`, `thread + threads`, ... below `calls`, named `s<i>` as in one thread) and posts the latencies in ms.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';

export interface StartClientsData {
  url: string;
  stateMachineArn: string;
  clients: number;
  calls: number;
  /** This thread's index, and how many there are: its calls are every `threads`-th from `thread`. */
  thread: number;
  threads: number;
}

const d = workerData as StartClientsData;
const port = parentPort!;
const sdk = Array.from({ length: d.clients }, () => new SFNClient({
  endpoint: d.url, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' }, maxAttempts: 1,
}));

async function main(): Promise<void> {
  await Promise.all(sdk.map((c, i) => c.send(new StartExecutionCommand({ stateMachineArn: d.stateMachineArn, name: `warm-${d.thread}-${i}`, input: '{}' }))));
  await new Promise<void>((resolve) => {
    port.once('message', () => resolve());
    port.postMessage('ready');
  });
  const lat: number[] = [];
  let next = d.thread;
  await Promise.all(sdk.map(async (c) => {
    while (next < d.calls) {
      const i = next;
      next += d.threads;
      const s = performance.now();
      await c.send(new StartExecutionCommand({ stateMachineArn: d.stateMachineArn, name: `s${i}`, input: JSON.stringify({ i }) }));
      lat.push(performance.now() - s);
    }
  }));
  for (const c of sdk) c.destroy();
  port.postMessage(lat);
}

// A failed call rejects here, which the parent sees as the thread's 'error' event: the section fails.
await main();
