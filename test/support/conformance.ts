/**
 * Reading the AWS-recorded conformance corpus (../shared/conformance, never copied into the repository) and
 * scoring results with its own checker (`check.mjs`). Shared by the in-memory runner's and the engine's suites.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export function conformanceDir(): string {
  return process.env.BATON_CONFORMANCE_DIR ?? resolve(repoRoot, '../shared/conformance');
}

export function conformanceAvailable(): boolean {
  return existsSync(resolve(conformanceDir(), 'cases.jsonl'));
}

/** One line of cases.jsonl / service-executions.jsonl (only the fields we use are typed). */
export interface ConformanceCase {
  id: string;
  category: string;
  features: string[];
  definition: Record<string, unknown>;
  input: unknown;
  input_omitted?: boolean;
  state_machine_type: 'STANDARD' | 'EXPRESS';
  start_api: string;
  expected: { status: string; output: unknown; error: string | null; cause: string | null; output_text?: string };
  history_event_types: string[] | null;
  notes: {
    nondeterministic_markers: string[];
    input_time_dependent?: string;
    history_order_normalised_by_localstack?: boolean;
    max_static_wait_seconds?: number;
  };
  test_transformers?: unknown[];
}

export function loadCases(file: string): ConformanceCase[] {
  return readFileSync(resolve(conformanceDir(), file), 'utf8')
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as ConformanceCase);
}

/** Cases of the JSONata / variables issue are reported apart from the JSONPath foundation cases. */
export function caseGroup(c: ConformanceCase): 'jsonpath' | 'jsonata' {
  const usesJsonata = c.features.includes('jsonata') || c.features.includes('assign_variables') || JSON.stringify(c.definition).includes('"Assign"');
  return usesJsonata || c.category === 'jsonata' || c.category === 'variables_assign' ? 'jsonata' : 'jsonpath';
}

/** The execution input, with timestamps the test computed from "now" regenerated relative to `startTime`. */
export function caseInput(c: ConformanceCase, startTime: number): unknown {
  if (c.id.includes('test_timestamp_too_far_in_future_boundary[24856]')) {
    return { start_at: new Date(startTime + 24856 * 86_400_000).toISOString() };
  }
  return c.input_omitted ? {} : c.input;
}

export interface CaseResult {
  id: string;
  status: string;
  output: string | null;
  error: string | null;
  cause: string | null;
  history_event_types?: string[];
}

type CheckCase = (c: ConformanceCase, r: CaseResult, opts: { history?: boolean; account?: string; region?: string }) => string[];
let checker: CheckCase | undefined;

export async function loadChecker(): Promise<CheckCase> {
  if (!checker) {
    const mod = (await import(pathToFileURL(resolve(conformanceDir(), 'check.mjs')).href)) as { checkCase: CheckCase };
    checker = mod.checkCase;
  }
  return checker;
}

/**
 * Scores one result. Outputs that depend on randomness or the clock (States.UUID, $now, ...) cannot match a
 * recording: for those only status, error and cause are compared, and the report says so.
 */
export async function scoreCase(
  c: ConformanceCase,
  r: CaseResult,
  opts: { history: boolean; account: string; region: string },
): Promise<{ problems: string[]; outputChecked: boolean }> {
  const check = await loadChecker();
  const outputChecked = c.notes.nondeterministic_markers.length === 0;
  const expected: Partial<ConformanceCase['expected']> = { ...c.expected };
  if (!outputChecked) delete expected.output;
  const problems = check({ ...c, expected: expected as ConformanceCase['expected'] }, r, {
    history: opts.history && outputChecked,
    account: opts.account,
    region: opts.region,
  });
  return { problems, outputChecked };
}

export interface KnownFailures {
  /** Groups whose failures are reported but do not fail the suite (work in progress, tracked by an open issue). */
  reportOnlyGroups: string[];
  /** Case id -> why it cannot pass (with the evidence). A listed case that passes fails the suite: remove it. */
  cases: Record<string, string>;
}

export function knownFailures(name: string): KnownFailures {
  const file = resolve(repoRoot, 'test/conformance', name);
  if (!existsSync(file)) return { reportOnlyGroups: [], cases: {} };
  return JSON.parse(readFileSync(file, 'utf8')) as KnownFailures;
}
