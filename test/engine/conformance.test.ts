/**
 * The cases of cases.jsonl (recorded on real AWS), JSONPath and JSONata, replayed through the durable engine on
 * Postgres + BullMQ with the real timer service, in parallel batches. Cases with a Wait longer than 2 s are left to the
 * in-memory suite (its virtual clock makes them free). EXPRESS cases go through StartSyncExecution.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  caseGroup, caseInput, conformanceAvailable, conformanceDir, knownFailures, loadCases, scoreCase, type CaseResult, type ConformanceCase,
} from '../support/conformance.js';
import { Harness } from './support/harness.js';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const BATCH = 40;

if (!conformanceAvailable()) {
  it('conformance corpus', () => {
    if (process.env.CI === 'true') throw new Error(`conformance corpus missing at ${conformanceDir()} (required under CI=true)`);
    console.warn(`conformance corpus not found at ${conformanceDir()}: engine conformance skipped`);
  });
} else {
  const cases = loadCases('cases.jsonl').filter((c) => (c.notes.max_static_wait_seconds ?? 0) <= 2);
  const known = knownFailures('engine.json');
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.start({ label: 'conformance', workers: 2, timers: 1, concurrency: 16 });
  });
  afterAll(async () => {
    await h?.stop();
  });

  async function runCase(c: ConformanceCase, index: number): Promise<CaseResult> {
    const type = c.state_machine_type;
    const smArn = await h.createStateMachine(`case-${index}`, c.definition, type);
    const input = JSON.stringify(caseInput(c, Date.now()) ?? null);
    if (type === 'EXPRESS' && c.start_api === 'StartSyncExecution') {
      const r = await h.api.startSyncExecution({ stateMachineArn: smArn, input, name: 'exec' });
      return { id: c.id, status: r.status, output: r.output ?? null, error: r.error ?? null, cause: r.cause ?? null };
    }
    const arn = await h.start(smArn, JSON.parse(input), 'exec');
    const d = await h.finished(arn, 30_000);
    return {
      id: c.id, status: d.status, output: d.status === 'SUCCEEDED' ? (d.output ?? null) : null, error: d.error ?? null,
      cause: d.cause ?? null, history_event_types: await h.types(arn),
    };
  }

  it(`${cases.length} cases through Postgres + BullMQ`, async () => {
    const results: CaseResult[] = [];
    const failures: string[] = [];
    const unexpected: string[] = [];
    const tally: Record<string, { passed: number; failed: number }> = {};
    let unchecked = 0;
    for (let i = 0; i < cases.length; i += BATCH) {
      const batch = cases.slice(i, i + BATCH);
      const outcomes = await Promise.all(batch.map(async (c, j) => {
        try {
          return await runCase(c, i + j);
        } catch (e) {
          return { id: c.id, status: 'ERROR', output: null, error: String(e), cause: null } satisfies CaseResult;
        }
      }));
      for (const [j, r] of outcomes.entries()) {
        const c = batch[j]!;
        results.push(r);
        const { problems, outputChecked } = await scoreCase(c, r, { history: true, account: ACCOUNT, region: REGION });
        if (!outputChecked) unchecked++;
        const t = (tally[caseGroup(c)] ??= { passed: 0, failed: 0 });
        if (problems.length === 0) t.passed++;
        else t.failed++;
        if (problems.length > 0) failures.push(`${c.id}: ${problems.join('; ')}`);
        if (known.cases[c.id] !== undefined && problems.length === 0) unexpected.push(`${c.id}: listed in test/conformance/engine.json but passes now`);
        if (known.cases[c.id] === undefined && problems.length > 0) unexpected.push(`${c.id}: ${problems.join('; ')}`);
      }
    }
    const dir = join(tmpdir(), 'baton-conformance');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'engine-results.jsonl'), results.map((r) => JSON.stringify(r)).join('\n') + '\n');
    writeFileSync(join(dir, 'engine-failures.txt'), failures.join('\n') + '\n');
    const lines = Object.entries(tally).map(([g, t]) => `  ${g}: ${t.passed} passed, ${t.failed} failed`);
    console.log(`\nconformance (cases.jsonl, durable engine on Postgres + BullMQ, history checked; ${unchecked} with nondeterministic output: status/error only):\n${lines.join('\n')}\n  details: ${dir}`);
    expect(unexpected).toEqual([]);
  }, 240_000);
}
