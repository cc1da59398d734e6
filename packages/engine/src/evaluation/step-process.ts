/**
 * The entry of an evaluation process (the default isolation): step-handler.ts over the IPC channel. A process, not
 * only a thread, because V8 aborts the whole process when some allocations outgrow a worker thread's heap limit
 * (nodejs/node#47224: seen on Node 24 with one array grown past the budget), and that must end this process, never
 * the role that serves the API and the other executions.
 *
 * The evaluation in progress is written to a file the pool opened and passed as file descriptor 4 (its first four
 * bytes, with a positional write): processes share no memory, a file survives this process's abort so the pool
 * can still read which evaluation to blame, and one `pwrite` per evaluation costs about a microsecond where a
 * message per evaluation would wake the pool each time.
 */
import { writeSync } from 'node:fs';
import { stepHandler } from './step-handler.js';
import type { HostMessage } from './host-protocol.js';

const MARKER_FD = 4;
const memoryMb = Number(process.argv[2]); // the heap budget, which also bounds what an expression may build
const buffer = new Int32Array(1);
const handler = stepHandler((n) => {
  buffer[0] = n;
  writeSync(MARKER_FD, buffer, 0, 4, 0);
}, memoryMb);

process.on('message', (m: HostMessage) => {
  void handler.handle(m, (reply) => {
    process.send!(reply);
  });
});
// The pool's process ended (or closed the channel): nothing is left to answer.
process.on('disconnect', () => process.exit(0));
// The role that owns this process decides when it ends. Ctrl-C on `npm start` signals the whole process group, and a
// service manager may signal every process of the service: the role then drains, and its in-flight steps must
// still get their answers (a step killed here would fail its state). This process ends with the channel.
process.on('SIGINT', () => {});
process.on('SIGTERM', () => {});
