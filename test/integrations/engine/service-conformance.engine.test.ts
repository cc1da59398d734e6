/**
 * The AWS-recorded service executions (../shared/conformance/service-executions.jsonl, with the drivers and child
 * definitions of callback-cases.jsonl) replayed through the durable engine + API with the real invoker against the
 * emulators: callbacks answered with SendTask* and activities served through GetActivityTask, both through the
 * real SDK against the API server (see support/service-cases.ts). Scored by the corpus's checker, history included.
 * Prints the pass count and every failure grouped by the reason recorded in service-conformance-engine-known.json;
 * fails on an unexpected failure and on a listed case that passes (remove it from the file then).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as S from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { conformanceAvailable, conformanceDir, loadCases, repoRoot, scoreCase, type CaseResult, type ConformanceCase } from '../../support/conformance.js';
import { ACCOUNT, REGION, startIntegrationStack, type IntegrationStack } from './support/integration-stack.js';
import { snapshotCause, snapshotOutput } from '../support/snapshot-values.js';
import { driverAnswer, prepareCase, respond, startActivityWorkers, unsupported, type CallbackCase } from './support/service-cases.js';

const BATCH = 40;
const KNOWN_FILE = resolve(repoRoot, 'test/integrations/engine/service-conformance-engine-known.json');

interface Known {
  /** Group key -> why the cases of that group cannot pass here. */
  groups: Record<string, string>;
  /** Case id -> "<group key>" or "<group key>: <detail>". */
  cases: Record<string, string>;
}

if (!conformanceAvailable()) {
  it('service conformance corpus', () => {
    if (process.env.CI === 'true') throw new Error(`conformance corpus missing at ${conformanceDir()} (required under CI=true)`);
    console.warn(`conformance corpus not found at ${conformanceDir()}: engine service conformance skipped`);
  });
} else {
  const cases = loadCases('service-executions.jsonl');
  const callbackCases = readFileSync(resolve(conformanceDir(), 'callback-cases.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as CallbackCase);
  const known = JSON.parse(readFileSync(KNOWN_FILE, 'utf8')) as Known;
  let stack: IntegrationStack;

  beforeAll(async () => {
    stack = await startIntegrationStack({ label: 'svc_conformance', concurrency: 16 });
  }, 60_000);
  afterAll(async () => {
    await stack?.stop();
  });

  async function runCase(c: ConformanceCase, n: number): Promise<CaseResult> {
    const cb = callbackCases.find((x) => x.id === c.id);
    const prepared = await prepareCase(stack, c, cb, n);
    const sm = await stack.createStateMachine(`case-${n}`, prepared.definition, c.state_machine_type);
    const input = JSON.stringify(prepared.input);
    if (c.start_api === 'StartSyncExecution') {
      const r = await stack.sfn.send(new S.StartSyncExecutionCommand({ stateMachineArn: sm, input, name: 'exec' }));
      return { id: c.id, status: r.status!, output: snapshotOutput(r.output), error: r.error ?? null, cause: snapshotCause(r.cause) };
    }
    const arn = await stack.start(sm, prepared.input, 'exec');
    const done = stack.finished(arn, 45_000);
    const helpers: Promise<unknown>[] = [];
    const answer = cb ? driverAnswer(cb.driver) : undefined;
    if (answer) helpers.push(respond(stack, [...prepared.queues, ...prepared.topicInboxes], answer, done.catch(() => undefined)));
    if (cb && prepared.activities.length > 0) helpers.push(startActivityWorkers(stack, cb, prepared.activities, n));
    const d = await done;
    await Promise.all(helpers);
    return {
      id: c.id, status: d.status!, output: d.status === 'SUCCEEDED' ? snapshotOutput(d.output) : null, error: d.error ?? null, cause: snapshotCause(d.cause),
      history_event_types: (await stack.history(arn)).map((e) => e.type!),
    };
  }

  it(`${cases.length} recorded service executions through the engine + API`, async () => {
    const details: string[] = [];
    const outcome = new Map<string, { pass: boolean; outputOnlyPass: boolean; problem?: string; skip?: string }>();
    const runnable = cases.map((c, n) => ({ c, n })).filter(({ c }) => {
      const skip = unsupported(c);
      if (skip) outcome.set(c.id, { pass: false, outputOnlyPass: false, skip });
      return skip === undefined;
    });
    // Cases whose outcome depends on time run first, on an otherwise idle engine (a 1 s TimeoutSeconds must not
    // expire because 40 other executions share two cores): task timeouts and heartbeats, then activities (their
    // workers' GetActivityTask long polls hold worker slots).
    const text = (c: ConformanceCase) => JSON.stringify(c.definition);
    const activity = (c: ConformanceCase) => text(c).includes(':activity:');
    const timed = (c: ConformanceCase) => !activity(c) && /TimeoutSeconds|HeartbeatSeconds/.test(text(c));
    const batches = [runnable.filter(({ c }) => timed(c)), runnable.filter(({ c }) => activity(c))];
    const rest = runnable.filter(({ c }) => !timed(c) && !activity(c));
    for (let i = 0; i < rest.length; i += BATCH) batches.push(rest.slice(i, i + BATCH));
    const attempt = async (c: ConformanceCase, n: number): Promise<CaseResult> => {
      try {
        return await runCase(c, n);
      } catch (e) {
        return { id: c.id, status: 'ERROR', output: null, error: String(e), cause: null };
      }
    };
    // A recorded success that timed out here (a 1 s HeartbeatSeconds on a machine loaded by the other test files)
    // is run once more, as a new machine; a case that times out twice still fails.
    const timedOutHere = (c: ConformanceCase, r: CaseResult) =>
      timed(c) && c.expected.status === 'SUCCEEDED' && r.status === 'FAILED' && r.error === 'States.Timeout';
    for (const batch of batches) {
      const run = async ({ c, n }: { c: ConformanceCase; n: number }) => {
        let r = await attempt(c, n);
        if (timedOutHere(c, r)) r = await attempt(c, n + 100_000);
        const strict = await scoreCase(c, r, { history: true, account: ACCOUNT, region: REGION });
        const outputOnly = await scoreCase(c, r, { history: false, account: ACCOUNT, region: REGION });
        outcome.set(c.id, { pass: strict.problems.length === 0, outputOnlyPass: outputOnly.problems.length === 0, problem: strict.problems.join('; ').slice(0, 400) });
        if (strict.problems.length > 0) details.push(`${c.id}\n  ${strict.problems.join('\n  ')}\n  result: ${JSON.stringify(r)}`);
      };
      await Promise.all(batch.map(run));
    }

    const dir = join(tmpdir(), 'baton-conformance');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'service-engine-failures.txt'), details.join('\n\n') + '\n');
    const unexpected: string[] = [];
    const byGroup = new Map<string, string[]>();
    for (const c of cases) {
      const o = outcome.get(c.id)!;
      const listed = known.cases[c.id];
      if (o.skip) continue;
      if (o.pass && listed !== undefined) unexpected.push(`PASSES but listed in service-conformance-engine-known.json: ${c.id}`);
      if (!o.pass && listed === undefined) unexpected.push(`UNEXPECTED ${c.id}: ${o.problem}`);
      if (!o.pass) {
        const group = listed?.split(':')[0] ?? 'unexpected';
        if (listed !== undefined && known.groups[group] === undefined) unexpected.push(`${c.id}: unknown group '${group}'`);
        byGroup.set(group, [...(byGroup.get(group) ?? []), `    ${c.id}: ${o.problem}`]);
      }
    }
    const all = [...outcome.values()];
    const count = (f: (o: (typeof all)[number]) => boolean) => all.filter(f).length;
    const groups = [...byGroup].map(([g, lines]) => `  ${g} (${lines.length}): ${known.groups[g] ?? 'not in the known-failures file'}\n${lines.join('\n')}`);
    const skipped = [...outcome].filter(([, o]) => o.skip).map(([id, o]) => `    ${id}: ${o.skip}`);
    console.log([
      'service conformance through the durable engine + API (real invoker, emulators):',
      `  ${count((o) => o.pass)} passed with history, ${count((o) => !o.pass && !o.skip)} failed, ${count((o) => o.skip !== undefined)} skipped of ${cases.length}`,
      `  ${count((o) => o.outputOnlyPass)} pass on status/output/error/cause alone (the in-memory runner's criterion)`,
      ...groups,
      `  skipped (${skipped.length}):`, ...skipped,
      `  details: ${join(dir, 'service-engine-failures.txt')}`,
      ...(stack.apiErrors.length > 0 ? [`  API server errors (${stack.apiErrors.length}), first: ${stack.apiErrors[0]!.slice(0, 600)}`] : []),
    ].join('\n'));
    expect(unexpected).toEqual([]);
  }, 150_000);
}
