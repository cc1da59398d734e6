/**
 * What an evaluation host runs (a child process: step-process.ts; a worker thread: step-thread.ts), whatever carries
 * its messages: one step or TestState evaluation at a time, reporting the number of the evaluation in progress to
 * `setMarker` so the pool's watchdog can tell progress from a stall, and keeping the programs it compiled by key.
 */
import { compileDefinition, type JsonObject, type Program } from '@baton/asl';
import { runStep, runTestState } from './run-step.js';
import type { HostMessage, HostReply, HostRequest, HostTestStateReply } from './host-protocol.js';

const MAX_PROGRAMS = 200;

export interface StepHandler {
  /** Answers one message; `send` throws when the answer cannot be copied out (too large or deep for the host). */
  handle(message: HostMessage, send: (reply: HostReply | HostTestStateReply) => void): Promise<void>;
}

export function stepHandler(report: (ordinal: number) => void, memoryMb: number): StepHandler {
  const programs = new Map<string, Program>();
  let marker = 0;
  const setMarker = (ordinal: number): void => {
    marker = ordinal;
    report(ordinal);
  };

  function programFor(m: HostRequest): Program | undefined {
    const cached = programs.get(m.key);
    if (cached) return cached;
    if (m.definition === undefined) return undefined;
    const program = compileDefinition(JSON.parse(m.definition) as JsonObject);
    if (programs.size >= MAX_PROGRAMS) programs.delete(programs.keys().next().value!);
    programs.set(m.key, program);
    return program;
  }

  async function step(m: HostRequest): Promise<HostReply> {
    let program: Program | undefined;
    try {
      program = programFor(m);
    } catch (e) {
      return { id: m.id, kind: 'failed', reason: 'error', ordinal: 0, message: `the definition does not compile: ${String(e)}` };
    }
    if (!program) return { id: m.id, kind: 'needProgram' };
    setMarker(0); // the step begins: the pool's watchdog starts counting
    const outcome = await runStep(
      { program: { key: m.key, definition: '', program }, doc: m.doc, signals: m.signals, now: m.now, seed: m.seed, ...m.options },
      setMarker,
      memoryMb * 2 ** 20,
    );
    return { id: m.id, ...outcome };
  }

  return {
    async handle(m, send) {
      if (m.kind === 'testState') {
        setMarker(0); // the watchdog counts the whole evaluation against the time budget
        const testState = await runTestState(m.call);
        try {
          send({ id: m.id, testState });
        } catch (e) {
          send({ id: m.id, testState: { kind: 'failed', reason: 'error', message: String(e) } });
        }
        return;
      }
      const reply = await step(m);
      try {
        send(reply);
      } catch (e) {
        // The result could not be copied out: the step failed in its last evaluation.
        send({ id: m.id, kind: 'failed', reason: 'error', ordinal: marker, message: String(e) });
      }
    },
  };
}
