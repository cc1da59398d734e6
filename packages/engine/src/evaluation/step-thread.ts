/**
 * The entry of an evaluation thread (thread-pool-evaluator.ts): runs one step at a time, writing the number of
 * the evaluation in progress to the shared marker so the pool's watchdog can tell progress from a stall, and keeps
 * the programs it compiled by key.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { compileDefinition, type JsonObject, type Program } from '@baton/asl';
import { runStep, runTestState } from './run-step.js';
import type { ThreadMessage, ThreadReply, ThreadRequest, ThreadTestStateReply } from './thread-protocol.js';

const MAX_PROGRAMS = 200;
const port = parentPort!;
const { marker: shared, memoryMb } = workerData as { marker: SharedArrayBuffer; memoryMb: number };
const marker = new Int32Array(shared);
const programs = new Map<string, Program>();

function programFor(m: ThreadRequest): Program | undefined {
  const cached = programs.get(m.key);
  if (cached) return cached;
  if (m.definition === undefined) return undefined;
  const program = compileDefinition(JSON.parse(m.definition) as JsonObject);
  if (programs.size >= MAX_PROGRAMS) programs.delete(programs.keys().next().value!);
  programs.set(m.key, program);
  return program;
}

async function handle(m: ThreadRequest): Promise<ThreadReply> {
  let program: Program | undefined;
  try {
    program = programFor(m);
  } catch (e) {
    return { id: m.id, kind: 'failed', reason: 'error', ordinal: 0, message: `the definition does not compile: ${String(e)}` };
  }
  if (!program) return { id: m.id, kind: 'needProgram' };
  Atomics.store(marker, 0, 0); // the step begins: the pool's watchdog starts counting

  const outcome = await runStep(
    { program: { key: m.key, definition: '', program }, doc: m.doc, signals: m.signals, now: m.now, seed: m.seed, ...m.options },
    (n) => Atomics.store(marker, 0, n),
    memoryMb * 2 ** 20,
  );
  return { id: m.id, ...outcome };
}

port.on('message', (m: ThreadMessage) => {
  if (m.kind === 'testState') {
    Atomics.store(marker, 0, 0); // the watchdog counts the whole evaluation against the time budget
    void runTestState(m.call).then((testState) => {
      try {
        port.postMessage({ id: m.id, testState } satisfies ThreadTestStateReply);
      } catch (e) {
        port.postMessage({ id: m.id, testState: { kind: 'failed', reason: 'error', message: String(e) } } satisfies ThreadTestStateReply);
      }
    });
    return;
  }
  void handle(m).then((reply) => {
    try {
      port.postMessage(reply);
    } catch (e) {
      // The result could not be copied out (too large or too deep for the host): the step failed in its last evaluation.
      port.postMessage({ id: m.id, kind: 'failed', reason: 'error', ordinal: Atomics.load(marker, 0), message: String(e) } satisfies ThreadReply);
    }
  });
});
