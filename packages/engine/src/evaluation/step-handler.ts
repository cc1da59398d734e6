/**
 * What an evaluation host runs (a child process: step-process.ts; a worker thread: step-thread.ts), whatever carries
 * its messages: one step (of a batch) or TestState evaluation at a time, reporting the number of the evaluation in progress to
 * `setMarker` so the pool's watchdog can tell progress from a stall, and keeping the programs it compiled by key.
 */
import { compileDefinition, type JsonObject, type Program } from '@baton/asl';
import { runStep, runTestState } from './run-step.js';
import type { StepOutcome } from './evaluator.js';
import { markerOf, readMarkerValue, type HostMessage, type HostReply, type HostStep, type HostSteps, type HostTestStateReply } from './host-protocol.js';

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

  function programFor(m: HostStep): Program | undefined {
    const cached = programs.get(m.key);
    if (cached) return cached;
    if (m.definition === undefined) return undefined;
    const program = compileDefinition(JSON.parse(m.definition) as JsonObject);
    if (programs.size >= MAX_PROGRAMS) programs.delete(programs.keys().next().value!);
    programs.set(m.key, program);
    return program;
  }

  /** Step `item` of a batch, its program compiled. */
  async function step(m: HostStep, program: Program, item: number): Promise<StepOutcome> {
    const mark = (ordinal: number): void => setMarker(markerOf(item, ordinal));
    mark(0); // the step begins: the pool's watchdog starts counting
    return runStep(
      { program: { key: m.key, definition: '', program }, doc: m.doc, signals: m.signals, now: m.now, seed: m.seed, ...m.options },
      mark,
      memoryMb * 2 ** 20,
    );
  }

  async function steps(m: HostSteps, send: (reply: HostReply) => void): Promise<void> {
    // Every program first: a host that lacks one asks for the definitions before any step runs.
    const compiled: (Program | string)[] = [];
    for (const item of m.items) {
      try {
        const program = programFor(item);
        if (!program) return send({ id: m.id, kind: 'needProgram' });
        compiled.push(program);
      } catch (e) {
        compiled.push(`the definition does not compile: ${String(e)}`);
      }
    }
    for (const [index, item] of m.items.entries()) {
      const program = compiled[index]!;
      const outcome: StepOutcome = typeof program === 'string'
        ? { kind: 'failed', reason: 'error', ordinal: 0, message: program }
        : await step(item, program, index);
      try {
        send({ id: m.id, index, ...outcome });
      } catch (e) {
        // The result could not be copied out: the step failed in its last evaluation.
        send({ id: m.id, index, kind: 'failed', reason: 'error', ordinal: readMarkerValue(marker).ordinal, message: String(e) });
      }
    }
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
      await steps(m, send);
    },
  };
}
