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
  for (const signal of answersFirst(doc, signals)) {
    if (stepper.doc.status !== 'RUNNING' && signal.kind !== 'start' && signal.kind !== 'redrive') continue;
    if (await stepper.apply(signal)) applied = true;
  }
  if (stepper.doc.status === 'RUNNING') await stepper.drain();
  if (stepper.historyFull && stepper.doc.status === 'RUNNING') stepper.end.failAtHistoryLimit();
  return { doc: stepper.doc, events: stepper.events, commands: stepper.commands, ignored: !applied };
}

const ANSWERS = new Set<Signal['kind']>(['taskStarted', 'taskSucceeded', 'taskFailed', 'taskHeartbeat', 'taskSubmitted']);

/**
 * The signals in order, except that a fired TimeoutSeconds or heartbeat timer of a task goes after the answers to
 * that task behind it. An answer the engine took arrived in time (SendTask* refuses one whose task's timer is due or
 * has fired); when both wait together, the timer fired while the answer was being recorded, and the answer wins
 * (a heartbeat re-arms the timer, which then no longer applies).
 */
function answersFirst(doc: ExecutionDoc, signals: readonly Signal[]): readonly Signal[] {
  const lastAnswer = new Map<string, number>();
  signals.forEach((s, i) => {
    if (ANSWERS.has(s.kind)) lastAnswer.set((s as { taskId: string }).taskId, i);
  });
  if (lastAnswer.size === 0) return signals;
  const out: Signal[] = [];
  const held = new Map<number, Signal[]>();
  signals.forEach((s, i) => {
    const timer = s.kind === 'timerFired' ? doc.timers[s.timerId] : undefined;
    const last = timer?.taskId !== undefined && (timer.purpose === 'taskTimeout' || timer.purpose === 'heartbeat') ? lastAnswer.get(timer.taskId) : undefined;
    if (last !== undefined && last > i) held.set(last, [...(held.get(last) ?? []), s]);
    else out.push(s);
    for (const h of held.get(i) ?? []) out.push(h);
  });
  return out;
}

export { StatesError };
