/**
 * `step`: apply signals to an execution document, run every state that can run without waiting, and return
 * the new document, the history events to append and the commands for the engine. Pure and deterministic for
 * the same (program, doc, signals, env).
 */
import { cloneJson, type Json } from '../json.js';
import { StatesError } from '../errors.js';
import type { Program } from '../model/nodes.js';
import { randomUuid } from '../random.js';
import { Stepper } from './stepper.js';
import type { ExecutionContextInfo, ExecutionDoc, Signal, StepEnv, StepResult } from './types.js';

/** A new execution document; feed it a `start` signal to begin. */
export function newExecution(context: ExecutionContextInfo, input: Json): ExecutionDoc {
  return { status: 'RUNNING', eventSeq: 0, seq: 0, context, input: cloneJson(input), runs: {}, tasks: {}, timers: {} };
}

export async function step(program: Program, doc: ExecutionDoc, signals: readonly Signal[], env: StepEnv): Promise<StepResult> {
  const stepper = new Stepper(program, structuredClone(doc), {
    ...env,
    newTaskToken: env.newTaskToken ?? (() => randomUuid(env.random)),
  });
  let applied = false;
  for (const signal of signals) {
    if (stepper.doc.status !== 'RUNNING' && signal.kind !== 'start' && signal.kind !== 'redrive') continue;
    if (await stepper.apply(signal)) applied = true;
  }
  if (stepper.doc.status === 'RUNNING') await stepper.drain();
  if (stepper.historyFull && stepper.doc.status === 'RUNNING') stepper.end.failAtHistoryLimit();
  return { doc: stepper.doc, events: stepper.events, commands: stepper.commands, ignored: !applied };
}

export { StatesError };
