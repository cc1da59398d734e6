/**
 * SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat (AWS API reference): the token is looked up by its hash
 * and locked; a malformed token is `InvalidToken`, an unknown or already used one `TaskDoesNotExist`, one whose
 * task timed out or whose execution ended `TaskTimedOut`, and so is one whose task's time is up though the step
 * that times it out has not committed (its answer would be accepted, then dropped by that step). Success and
 * failure use the token up (single use).
 * The answer and the transition it leads to commit together, in the transaction that used the token, when the
 * execution can be stepped at once (`TransitionRunner.stepAnswer`); else the answer becomes signals in that
 * transaction, then a transition job, as before.
 */
import { ApiError } from '@baton/api-contract';
import type { Json, Signal } from '@baton/asl';
import { againIfAnsweredMeanwhile } from './apply-commands.js';
import { hashToken, isWellFormedToken } from './crypto.js';
import { transitionJob } from './job-ids.js';
import type { Runtime } from './runtime.js';
import type { AnswerStep, TransitionRunner } from './transition-runner.js';

export type TaskAnswer =
  | { kind: 'success'; output: Json }
  | { kind: 'failure'; error?: string; cause?: string }
  | { kind: 'heartbeat' };

export async function answerTask(rt: Runtime, token: string, answer: TaskAnswer, transitions: TransitionRunner): Promise<void> {
  if (!isWellFormedToken(token)) throw new ApiError('InvalidToken', "Invalid Token: 'Invalid token'");
  const hash = hashToken(token);
  // Again when the step timed out another task whose answer was being accepted meanwhile (AnsweredMeanwhile).
  await againIfAnsweredMeanwhile(() => answerOnce(rt, hash, answer, transitions));
}

async function answerOnce(rt: Runtime, hash: string, answer: TaskAnswer, transitions: TransitionRunner): Promise<void> {
  let step: AnswerStep | undefined;
  const dispatch = await rt.store.transaction(async (tx) => {
    const t = await tx.tokens.lock(hash, rt.clock.now());
    if (!t || t.status === 'completed') throw new ApiError('TaskDoesNotExist', "Task Does Not Exist: 'Provided task does not exist anymore'");
    // `late`: the task's time is up and the step that times it out is on its way (its timer due, or fired and not
    // stepped yet). That step comes first and the answer would be dropped, so it is refused, as after that step.
    if (t.status === 'timedOut' || t.late) throw new ApiError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
    const signals: Signal[] = [];
    // The answer may overtake the invoker's own report of the call: record the start first.
    const row = await tx.tasks.get(t.executionId, t.taskId);
    if (row && !row.started) signals.push({ kind: 'taskStarted', taskId: t.taskId });
    switch (answer.kind) {
      case 'success':
        signals.push({ kind: 'taskSucceeded', taskId: t.taskId, output: answer.output });
        break;
      case 'failure':
        signals.push({
          kind: 'taskFailed', taskId: t.taskId, error: answer.error ?? '',
          ...(answer.cause !== undefined ? { cause: answer.cause } : {}),
        });
        break;
      case 'heartbeat':
        signals.push({ kind: 'taskHeartbeat', taskId: t.taskId });
        break;
      default: {
        const never: never = answer;
        throw new Error(`unknown answer ${JSON.stringify(never)}`);
      }
    }
    if (answer.kind !== 'heartbeat') {
      await tx.tokens.setStatus(hash, 'completed');
      if (row) await tx.tasks.delete(t.executionId, t.taskId);
    }
    // The answer and the step it leads to in this transaction, when the execution can be stepped here and now.
    step = await transitions.stepAnswer(tx, t.executionId, signals);
    if (step) return [];
    let last = '';
    for (const s of signals) last = await tx.signals.insert(t.executionId, s);
    return [transitionJob(t.executionId, last)];
  }).catch((e: unknown) => {
    step?.failed(e);
    throw e;
  });
  if (step) await step.committed();
  else await rt.dispatch(dispatch);
}
