/**
 * One activity task, from GetActivityTask's answer to its report: parse and check the input, run the handler with
 * heartbeats going, then SendTaskSuccess or SendTaskFailure. Never throws: whatever goes wrong becomes the task's
 * failure or, when the token is dead, a log line.
 */
import { createHash } from 'node:crypto';
import { SendTaskFailureCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { Heartbeats, errorCode, GONE_CODES } from './heartbeats.js';
import { failure, failureOf, NamedError, serialiseOutput, WorkerErrors, type Failure } from './report.js';
import type { ResolvedOptions, WorkerLogger } from './worker-options.js';

/** Waits between attempts at a report the API did not take (network, throttling), after the SDK's own retries. */
const REPORT_RETRY_MS = [1_000, 2_000, 4_000, 8_000];

export interface TaskRun<I, O> {
  client: SFNClient;
  options: ResolvedOptions<I, O>;
  check: (input: unknown) => Promise<I>;
}

export async function runTask<I, O>(run: TaskRun<I, O>, taskToken: string, rawInput: string, controller: AbortController): Promise<void> {
  const { client, options } = run;
  const tokenId = tokenFingerprint(taskToken);
  const heartbeats = new Heartbeats(client, taskToken, options.heartbeatIntervalMs, (e) => {
    controller.abort(new NamedError(WorkerErrors.taskTimedOut, `The task is gone: SendTaskHeartbeat answered ${errorCode(e)}.`));
  }, options.logger, tokenId);
  let outcome: { ok: true; output: string } | { ok: false; failure: Failure };
  heartbeats.start();
  try {
    const input = await run.check(parseInput(rawInput));
    const output = await options.handler(input, { taskToken, heartbeat: () => heartbeats.now(), signal: controller.signal });
    outcome = serialiseOutput(output);
  } catch (e) {
    outcome = { ok: false, failure: failureOf(e) };
  } finally {
    heartbeats.stop();
  }
  if (heartbeats.gone) {
    options.logger.warn(`the task timed out before its handler finished; its ${outcome.ok ? 'output' : 'failure'} was not reported`, { task: tokenId });
    return;
  }
  if (outcome.ok) {
    const output = outcome.output;
    const refused = await report(() => client.send(new SendTaskSuccessCommand({ taskToken, output })), options.logger, tokenId);
    if (refused === undefined) return;
    // The API refused the output itself (e.g. InvalidOutput): fail the task rather than leave it to time out.
    outcome = { ok: false, failure: failure(WorkerErrors.invalidOutput, `SendTaskSuccess refused the output: ${refused.name}: ${refused.message}`) };
  }
  const f = outcome.failure;
  await report(() => client.send(new SendTaskFailureCommand({ taskToken, error: f.error, cause: f.cause })), options.logger, tokenId);
}

function parseInput(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch (e) {
    throw new NamedError(WorkerErrors.invalidInput, `The task input is not JSON: ${(e as Error).message}`);
  }
}

/**
 * Sends a report, trying again after transient errors. Returns the error when the API refused the request itself
 * (InvalidOutput, ValidationException), so the caller can report a failure instead; undefined otherwise.
 */
async function report(send: () => Promise<unknown>, logger: WorkerLogger, tokenId: string): Promise<Error | undefined> {
  for (let attempt = 0; ; attempt++) {
    try {
      await send();
      return undefined;
    } catch (e) {
      const code = errorCode(e);
      if (GONE_CODES.has(code)) {
        logger.warn(`the task was gone when its result was reported (${code})`, { task: tokenId });
        return undefined;
      }
      if (code === 'InvalidOutput' || code === 'ValidationException') return e as Error;
      const wait = REPORT_RETRY_MS[attempt];
      if (wait === undefined) {
        logger.error(`could not report the task's result (${code}: ${(e as Error)?.message}); it will time out`, { task: tokenId });
        return undefined;
      }
      logger.warn(`reporting the task's result failed (${code}); trying again in ${wait} ms`, { task: tokenId });
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/** A short, stable name for a task in logs: a hash prefix, never the token itself. */
export function tokenFingerprint(taskToken: string): string {
  return createHash('sha256').update(taskToken).digest('hex').slice(0, 12);
}
