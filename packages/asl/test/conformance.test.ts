/**
 * Every case of ../shared/conformance/cases.jsonl (recorded on real AWS) replayed through the in-memory runner.
 * JSONPath cases must pass; JSONata / Assign cases are counted apart (the JSONata issue). History event types are
 * compared too, wherever the output is deterministic.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runLocal, type JsonObject, type Json } from '@baton/asl';
import {
  caseGroup, caseInput, conformanceAvailable, conformanceDir, knownFailures, loadCases, scoreCase, type CaseResult,
} from '../../../test/support/conformance.js';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const START = Date.UTC(2024, 0, 1);

if (!conformanceAvailable()) {
  it('conformance corpus', () => {
    if (process.env.CI === 'true') throw new Error(`conformance corpus missing at ${conformanceDir()} (required under CI=true)`);
    console.warn(`conformance corpus not found at ${conformanceDir()}: conformance cases skipped`);
  });
} else {
  const cases = loadCases('cases.jsonl');
  const known = knownFailures('in-memory.json');
  const tally: Record<string, { passed: number; failed: number; outputUnchecked: number }> = {};
  const results: CaseResult[] = [];
  const failures: string[] = [];

  describe('conformance: cases.jsonl through the in-memory runner', () => {
    for (const c of cases) {
      const group = caseGroup(c);
      it(`${group} ${c.id}`, async () => {
        const r = await runLocal(c.definition as JsonObject, {
          input: caseInput(c, START) as Json,
          startTime: START,
          context: { stateMachineName: 'sm', executionName: 'exec', region: REGION },
        });
        const result: CaseResult = {
          id: c.id,
          status: r.status,
          output: r.status === 'SUCCEEDED' ? JSON.stringify(r.output ?? null) : null,
          error: r.error ?? null,
          cause: r.cause ?? null,
          history_event_types: r.events.map((e) => e.type),
        };
        results.push(result);
        const { problems, outputChecked } = await scoreCase(c, result, { history: true, account: ACCOUNT, region: REGION });
        const t = (tally[group] ??= { passed: 0, failed: 0, outputUnchecked: 0 });
        if (problems.length === 0) t.passed++;
        else {
          t.failed++;
          failures.push(`${c.id}: ${problems.join('; ')}`);
        }
        if (!outputChecked) t.outputUnchecked++;
        const expectedFailure = known.cases[c.id] !== undefined || known.reportOnlyGroups.includes(group);
        if (known.cases[c.id] !== undefined) {
          expect(problems, `listed as a known failure but passes now: remove it from test/conformance/in-memory.json`).not.toEqual([]);
        } else if (!expectedFailure) {
          expect(problems).toEqual([]);
        }
      });
    }
  });

  afterAll(() => {
    const dir = join(tmpdir(), 'baton-conformance');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'in-memory-results.jsonl'), results.map((r) => JSON.stringify(r)).join('\n') + '\n');
    writeFileSync(join(dir, 'in-memory-failures.txt'), failures.join('\n') + '\n');
    const lines = Object.entries(tally).map(
      ([g, t]) => `  ${g}: ${t.passed} passed, ${t.failed} failed (${t.outputUnchecked} with nondeterministic output: status/error only)`,
    );
    console.log(`\nconformance (cases.jsonl, in-memory runner, history checked):\n${lines.join('\n')}\n  details: ${dir}`);
  });
}
