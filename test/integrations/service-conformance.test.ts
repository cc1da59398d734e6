/**
 * The AWS-recorded service executions (../shared/conformance/service-executions.jsonl, with child definitions from
 * callback-cases.jsonl) replayed through runLocal and the real invoker against the emulators. Resource names in the
 * recordings are placeholders: queues, topics, tables and child state machines are created under the same names,
 * and every Lambda function is an echo (the recordings do not carry function code). Cases needing a service Baton
 * does not emulate here are skipped with the reason. Prints a summary line and every failing case with its first
 * difference; a case that crashes the runner fails the suite, and so does a drop below the passing count recorded
 * in known-failures (failures whose reason is an emulator difference are listed there).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Json, JsonObject } from '@baton/asl';
import { startEmulators, type Emulators } from '../../packages/integrations/test/support/emulators.js';
import { CallbackBook, runWithInvoker } from '../../packages/integrations/test/support/run-with-invoker.js';
import { snapshotCause, snapshotOutput } from './support/snapshot-values.js';
import { conformanceAvailable, conformanceDir, loadCases, repoRoot, scoreCase, type ConformanceCase } from '../support/conformance.js';
import { prepareS3, strings, unsupported as unsupportedAnywhere } from './engine/support/service-cases.js';

const ACCOUNT = '000000000000'; // fauxqs's account; every ARN of the run uses it, and the checker maps it back
interface CallbackCase { id: string; driver: string; auxiliary_state_machines?: { role: string; definition: JsonObject }[] }

/** Why the case cannot run in memory: what the engine runner cannot serve either, plus what needs the engine. */
function unsupported(c: ConformanceCase): string | undefined {
  const text = JSON.stringify(c.definition);
  if (/:activity:/.test(text)) return 'activities are dispatched by the engine (not an integration)';
  if (/"ItemReader"/.test(text)) return 'a Distributed Map ItemReader reads S3, which the engine runner serves (s3rver), not runLocal';
  const noEmulator = unsupportedAnywhere(c);
  if (noEmulator) return noEmulator;
  if (c.category === 'timeouts' || /HeartbeatSeconds|TimeoutSeconds/.test(text)) return 'task timeouts and heartbeats need the engine (runLocal answers synchronously)';
  if (/sns:publish\.waitForTaskToken/.test(text)) return 'no SNS-to-callback responder in this runner';
  return undefined;
}

const summary: { id: string; outcome: 'pass' | 'fail' | 'skip'; reason?: string }[] = [];
let emu: Emulators;
const available = conformanceAvailable();

beforeAll(async () => {
  if (available) emu = await startEmulators();
}, 60_000);
afterAll(async () => {
  await emu?.sfn.settled();
  await emu?.close();
  const count = (o: string) => summary.filter((s) => s.outcome === o).length;
  const lines = summary.filter((s) => s.outcome !== 'pass').map((s) => `  ${s.outcome.toUpperCase()} ${s.id}: ${s.reason}`);
  console.log(`${lines.join('\n')}\nservice conformance: ${count('pass')} passed, ${count('fail')} failed, ${count('skip')} skipped of ${summary.length}`);
});

describe.skipIf(!available)('service conformance (recorded on AWS)', () => {
  const cases = available ? loadCases('service-executions.jsonl') : [];
  const callbackCases = available
    ? (readFileSync(resolve(conformanceDir(), 'callback-cases.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) as CallbackCase[])
    : [];
  const known = JSON.parse(readFileSync(resolve(repoRoot, 'test/integrations/service-conformance-known.json'), 'utf8')) as { minimumPassing: number };

  it('runs every case the emulators can serve', async () => {
    for (const c of cases) {
      const skip = unsupported(c);
      if (skip) {
        summary.push({ id: c.id, outcome: 'skip', reason: skip });
        continue;
      }
      const cb = callbackCases.find((x) => x.id === c.id);
      let text = await prepareS3(emu, c, JSON.stringify({ d: c.definition, i: c.input_omitted ? {} : c.input }), summary.length);
      let missingChild: string | undefined;
      for (const s of strings(JSON.parse(text))) {
        let m = /^https:\/\/sqs\.us-east-1\.amazonaws\.com\/111111111111\/([\w.-]+)$/.exec(s);
        if (m) {
          const q = await emu.createQueue(m[1]!, m[1]!.endsWith('.fifo') ? { FifoQueue: 'true', ContentBasedDeduplication: 'true' } : undefined);
          text = text.replaceAll(s, q.url);
        }
        m = /^arn:aws:sns:us-east-1:111111111111:([\w.-]+)$/.exec(s);
        if (m) text = text.replaceAll(s, await emu.createTopic(m[1]!));
        if (/^sfn_test_table_\d+$/.test(s)) await emu.createTable(s).catch(() => undefined);
        m = /^arn:aws:lambda:us-east-1:111111111111:function:([\w-]+)$/.exec(s) ?? /^((?:lambda|sfn_lambda|fn-data-flow)[\w-]*\d{8})$/.exec(s);
        if (m) emu.lambda.define(m[1]!, (event) => event);
        m = /^arn:aws:states:us-east-1:111111111111:stateMachine:([\w-]+)$/.exec(s);
        if (m) {
          const child = cb?.auxiliary_state_machines?.find((a) => a.role !== 'activity_worker');
          if (child) emu.sfn.defineStateMachine(s.replace('111111111111', ACCOUNT), child.definition);
          else missingChild = s;
          text = text.replaceAll(s, s.replace('111111111111', ACCOUNT));
        }
      }
      if (missingChild) {
        summary.push({ id: c.id, outcome: 'skip', reason: `child state machine ${missingChild} is not recorded` });
        continue;
      }
      const { d, i } = JSON.parse(text) as { d: JsonObject; i: Json };
      const callbacks = new CallbackBook();
      const failing = cb?.driver.includes('SendTaskFailure') ?? false;
      const responds = cb !== undefined && /Responder = /.test(cb.driver) && !cb.driver.includes('NO error');
      const run = runWithInvoker(d, emu.invoker(), {
        input: i,
        executionArn: `arn:aws:states:us-east-1:${ACCOUNT}:execution:case:${summary.length}`,
        ...(responds
          ? {
              callbacks,
              onSubmitted: async (task) => {
                const url = (task.parameters as JsonObject).QueueUrl as string;
                const [m] = await emu.receive(url);
                const body = JSON.parse(m!.Body!) as JsonObject;
                const token = String(body.TaskToken ?? body.taskToken);
                if (failing) callbacks.fail(token, 'Failure error', 'Failure cause');
                else callbacks.succeed(token, body);
              },
            }
          : {}),
      });
      let result: Awaited<typeof run>;
      try {
        result = await run;
      } catch (err) {
        const stuck = String(err).includes('execution is stuck');
        summary.push({ id: c.id, outcome: stuck ? 'skip' : 'fail', reason: stuck ? 'waits for a callback this runner has no responder for' : `runner error: ${String(err)}` });
        continue;
      }
      const scored = await scoreCase(
        c,
        { id: c.id, status: result.status, output: result.output === undefined ? null : snapshotOutput(JSON.stringify(result.output)), error: result.error ?? null, cause: snapshotCause(result.cause) },
        { history: false, account: ACCOUNT, region: 'us-east-1' },
      );
      summary.push(scored.problems.length === 0 ? { id: c.id, outcome: 'pass' } : { id: c.id, outcome: 'fail', reason: scored.problems[0]!.slice(0, 300) });
    }
    expect(summary.filter((s) => s.outcome === 'pass').length).toBeGreaterThanOrEqual(known.minimumPassing);
  }, 120_000);
});
