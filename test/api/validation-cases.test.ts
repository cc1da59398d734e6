/**
 * The API-level error responses recorded from AWS (`validation-cases.jsonl` of the shared corpus) replayed through
 * the real `@aws-sdk/client-sfn` against the real API and engine (Postgres + BullMQ, and the embedded default):
 * each request gets the SDK exception class AWS answered with, and its message matches AWS's under the corpus's
 * own normalisation (`check.mjs`). ValidateStateMachineDefinition cases compare the whole response.
 * TestState cases run with the real task invoker, whose SDK models check mocked results. Cases that cannot pass are
 * listed, with the reason, in test/conformance/validation.json; a listed case that starts passing fails this suite.
 * The engine runs with the corpus's account (111111111111) so that the recorded ARNs name its resources.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import * as S from '@aws-sdk/client-sfn';
import { createTaskInvoker } from '@baton/integrations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conformanceAvailable, conformanceDir, repoRoot } from '../support/conformance.js';
import { BACKENDS } from './support/engine-stack.js';
import { suiteStack } from './support/sdk.js';

interface ValidationCase {
  id: string;
  operation: string;
  definition: unknown;
  definition_is_json: boolean;
  request: Record<string, unknown>;
  expected_error_code: string | null;
  expected_message?: string;
  expected_response?: unknown;
}

const ACCOUNT = '111111111111';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/baton`;
const SM = (name: string) => `arn:aws:states:us-east-1:${ACCOUNT}:stateMachine:${name}`;
/** Literal stand-ins the recording tests put in place of their ARNs (their RegexTransformers' replacements). */
const LITERAL_TOKENS = ['snf_role_arn', 'sfn_role_arn', 'invalid_execution_arn', 'ssm_nonexistent_arn', 'sm_nonexistent_arn'];
const PASS = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });

const known = JSON.parse(readFileSync(resolve(repoRoot, 'test/conformance/validation.json'), 'utf8')) as { cases: Record<string, string> };
const recorded: ValidationCase[] = conformanceAvailable()
  ? readFileSync(resolve(conformanceDir(), 'validation-cases.jsonl'), 'utf8').split('\n').filter((l) => l.trim())
    .map((l) => JSON.parse(l) as ValidationCase)
  : [];
const cases = recorded;
if (cases.length === 0) {
  if (process.env.CI === 'true') throw new Error(`validation-cases.test: the conformance corpus is missing (${conformanceDir()})`);
  console.warn(`validation-cases.test: skipped, no conformance corpus at ${conformanceDir()}`);
}

/** The recording test's name: what decides which resources must exist before the request. */
function testName(id: string): string {
  return id.split('::').at(-1)!.split(/[#[]/)[0]!;
}

/** Resources the recorded request expects to exist (the recording test created them first). */
const FIXTURES: Record<string, (sfn: S.SFNClient, c: ValidationCase) => Promise<void>> = {
  async test_create_duplicate_sm_name(sfn, c) {
    // The same name with another definition: creating it again is not idempotent.
    await sfn.send(new S.CreateStateMachineCommand({ name: String(c.request.name), definition: PASS, roleArn: ROLE }));
  },
  async test_start_execution_idempotent(sfn, c) {
    const stateMachineArn = String(c.request.stateMachineArn);
    await sfn.send(new S.CreateStateMachineCommand({ name: stateMachineArn.split(':').at(-1)!, definition: PASS, roleArn: ROLE }));
    await sfn.send(new S.StartExecutionCommand({ stateMachineArn, name: String(c.request.name), input: '{}' }));
  },
  async test_start_sync_execution(sfn, c) {
    await sfn.send(new S.CreateStateMachineCommand({ name: String(c.request.stateMachineArn).split(':').at(-1)!, definition: PASS, roleArn: ROLE }));
  },
  async test_update_logging_configuration(sfn) {
    await sfn.send(new S.CreateStateMachineCommand({ name: 'statemachine_00000001', definition: PASS, roleArn: ROLE }));
  },
  async test_list_state_machine_aliases_pagination_invalid_next_token(sfn, c) {
    const name = String(c.request.stateMachineArn).split(':').at(-1)!;
    await sfn.send(new S.CreateStateMachineCommand({ name, definition: PASS, roleArn: ROLE, publish: true }));
    await sfn.send(new S.CreateStateMachineAliasCommand({ name: 'live', routingConfiguration: [{ stateMachineVersionArn: `${SM(name)}:1`, weight: 100 }] }));
  },
};

function request(c: ValidationCase): Record<string, unknown> {
  if (c.operation !== 'CreateStateMachine' && c.operation !== 'ValidateStateMachineDefinition' && c.operation !== 'TestState') return c.request;
  const definition = c.definition_is_json ? JSON.stringify(c.definition) : c.definition;
  return { ...c.request, definition, ...(c.operation === 'CreateStateMachine' ? { roleArn: c.request.roleArn ?? ROLE } : {}) };
}

type Checker = {
  normalise(v: unknown, o: { account?: string; region?: string }): unknown;
  wildcardEqual(e: unknown, a: unknown, tokens?: string[]): boolean;
};

describe.skipIf(cases.length === 0).each(BACKENDS)('recorded API errors on %s', (backend) => {
  // Mocked TestState results are checked against the models the task invoker carries (no service is called).
  const invoker = createTaskInvoker({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  const suite = suiteStack(backend, { account: ACCOUNT, invoker });
  afterAll(() => invoker.destroy());
  let sfn: S.SFNClient;
  let check: Checker;

  beforeAll(async () => {
    sfn = suite.sfn;
    check = (await import(pathToFileURL(resolve(conformanceDir(), 'check.mjs')).href)) as Checker;
  });

  /** What differs from AWS's answer, or undefined when it matches. */
  async function replay(c: ValidationCase): Promise<string | undefined> {
    await FIXTURES[testName(c.id)]?.(sfn, c);
    const Command = (S as unknown as Record<string, new (input: unknown) => S.ListStateMachinesCommand>)[`${c.operation}Command`]!;
    let answer: unknown;
    try {
      answer = await sfn.send(new Command(request(c)));
    } catch (e) {
      const error = e as S.SFNServiceException;
      if (c.expected_error_code === null) return `unexpected ${error.name}: ${error.message}`;
      const ErrorClass = (S as unknown as Record<string, unknown>)[c.expected_error_code] as (new (...a: never[]) => Error) | undefined;
      if (error.name !== c.expected_error_code || (ErrorClass && !(error instanceof ErrorClass))) return `${error.name}: ${error.message}`;
      const message = check.normalise(error.message, { account: ACCOUNT, region: 'us-east-1' });
      return check.wildcardEqual(c.expected_message, message, LITERAL_TOKENS) ? undefined : `message: ${error.message}`;
    } finally {
      await cleanUp();
    }
    if (c.expected_error_code !== null) return `no error: ${JSON.stringify(answer)}`;
    const { result, diagnostics, truncated } = answer as S.ValidateStateMachineDefinitionOutput;
    return isDeepStrictEqual({ result, diagnostics, truncated }, c.expected_response) ? undefined : `response: ${JSON.stringify(answer)}`;
  }

  async function cleanUp(): Promise<void> {
    const { stateMachines } = await sfn.send(new S.ListStateMachinesCommand({}));
    for (const m of stateMachines ?? []) await sfn.send(new S.DeleteStateMachineCommand({ stateMachineArn: m.stateMachineArn }));
  }

  it('answers every recorded case as AWS did, except the listed ones', async () => {
    const unexpected: string[] = [];
    const nowPassing: string[] = [];
    for (const c of cases) {
      const problem = await replay(c);
      if (problem !== undefined && !(c.id in known.cases)) unexpected.push(`${c.id}\n    expected ${c.expected_error_code}: ${c.expected_message}\n    got ${problem}`);
      if (problem === undefined && c.id in known.cases) nowPassing.push(c.id);
    }
    const failing = cases.filter((c) => c.id in known.cases).length;
    console.log(`validation cases through the API on ${backend}: ${cases.length - failing - unexpected.length} of ${cases.length} answered as AWS did; ` +
      `${failing} listed in test/conformance/validation.json`);
    expect(unexpected, 'cases that do not answer as AWS did').toEqual([]);
    expect(nowPassing, 'listed in test/conformance/validation.json but passing now: remove them from the list').toEqual([]);
    expect(Object.keys(known.cases).filter((id) => !cases.some((c) => c.id === id)), 'listed cases that are not in the corpus').toEqual([]);
  });
});
