/**
 * The entry of an evaluation thread (BATON_EVALUATION_ISOLATION=thread): step-handler.ts over the thread's port,
 * the evaluation in progress written to memory shared with the pool.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { stepHandler } from './step-handler.js';
import type { HostMessage } from './host-protocol.js';

const port = parentPort!;
const { marker: shared, memoryMb } = workerData as { marker: SharedArrayBuffer; memoryMb: number };
const marker = new Int32Array(shared);
const handler = stepHandler((n) => Atomics.store(marker, 0, n), memoryMb);

port.on('message', (m: HostMessage) => {
  void handler.handle(m, (reply) => port.postMessage(reply));
});
