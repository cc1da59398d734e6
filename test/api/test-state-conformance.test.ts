/**
 * The TestState calls recorded from AWS (`test-state-cases.jsonl` of the shared corpus) replayed through the real
 * `@aws-sdk/client-sfn` against the real API and engine (Postgres + BullMQ), with the real task invoker: mocked
 * results are checked against the SDK's models, and the one Task tested without a mock calls a Lambda function
 * (the wire-level Lambda server) defined as the recording test defined it (it returns the string "HelloWorld!").
 * Each answer is put in the form the recording stored it (a JSON text member that starts with `{` parsed, other
 * text kept as text, so `"[1, 4, 9]"` must match as written) and compared with the corpus's own checker
 * (`check.mjs`: normalisation, `<...>` placeholders). Cases that cannot pass are listed with the reason in
 * test/conformance/test-state.json; a listed case that starts passing fails this suite.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as S from '@aws-sdk/client-sfn';
import { createTaskInvoker, type BatonTaskInvoker } from '@baton/integrations';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLambdaServer, type LambdaTestServer } from '../../packages/integrations/test/servers/lambda-server.js';
import { conformanceAvailable, conformanceDir, repoRoot } from '../support/conformance.js';
import { sdkClient } from './support/sdk.js';
import { startEngineStack, type EngineStack } from './support/engine-stack.js';

interface TestStateCase {
  id: string;
  definition: unknown;
  input: unknown;
  request: Record<string, unknown>;
  expected_response: Record<string, unknown>;
}

const ACCOUNT = '111111111111';
const REGION = 'us-east-1';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/baton-test-state`;

const known = JSON.parse(readFileSync(resolve(repoRoot, 'test/conformance/test-state.json'), 'utf8')) as { cases: Record<string, string> };
const cases: TestStateCase[] = conformanceAvailable()
  ? readFileSync(resolve(conformanceDir(), 'test-state-cases.jsonl'), 'utf8').split('\n').filter((l) => l.trim())
    .map((l) => JSON.parse(l) as TestStateCase)
  : [];
if (cases.length === 0) {
  if (process.env.CI === 'true') throw new Error(`test-state-conformance.test: the conformance corpus is missing (${conformanceDir()})`);
  console.warn(`test-state-conformance.test: skipped, no conformance corpus at ${conformanceDir()}`);
}

type Checker = {
  normalise(v: unknown, o: { account?: string; region?: string }): unknown;
  wildcardEqual(e: unknown, a: unknown, tokens?: string[]): boolean;
};

/** As LocalStack's snapshot library stores a value: text that starts with `{` parsed, other text kept. */
function stored(value: unknown): unknown {
  if (typeof value === 'string') return value.startsWith('{') ? JSON.parse(value) : value;
  if (Array.isArray(value)) return value.map(stored);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stored(v)]));
  return value;
}

describe.skipIf(cases.length === 0)('recorded TestState calls through the API', () => {
  let lambda: LambdaTestServer;
  let invoker: BatonTaskInvoker;
  let stack: EngineStack;
  let sfn: S.SFNClient;
  let check: Checker;

  beforeAll(async () => {
    lambda = await startLambdaServer(REGION, ACCOUNT);
    // test_base_lambda_task_state's function (LocalStack's LAMBDA_RETURN_BYTES_STR) answers the text "HelloWorld!".
    lambda.define('lambda_func_00000001', () => 'HelloWorld!');
    invoker = createTaskInvoker({ region: REGION, endpoints: { lambda: lambda.endpoint }, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    stack = await startEngineStack('postgres', { account: ACCOUNT, region: REGION, invoker });
    sfn = sdkClient(stack);
    check = (await import(pathToFileURL(resolve(conformanceDir(), 'check.mjs')).href)) as Checker;
  });

  afterAll(async () => {
    sfn?.destroy();
    await stack?.stop();
    invoker?.destroy();
    await lambda?.close();
  });

  /** What differs from AWS's answer, or undefined when it matches. */
  async function replay(c: TestStateCase): Promise<string | undefined> {
    let answer: S.TestStateCommandOutput;
    try {
      answer = await sfn.send(new S.TestStateCommand({
        ...(c.request as Partial<S.TestStateInput>),
        definition: JSON.stringify(c.definition), input: JSON.stringify(c.input), roleArn: ROLE,
      }));
    } catch (e) {
      return `${(e as Error).name}: ${(e as Error).message}`;
    }
    const { $metadata: _metadata, ...response } = answer;
    const actual = check.normalise(stored(response), { account: ACCOUNT, region: REGION });
    return check.wildcardEqual(c.expected_response, actual) ? undefined : `got ${JSON.stringify(actual)}`;
  }

  it('answers every recorded call as AWS did, except the listed ones', async () => {
    const unexpected: string[] = [];
    const nowPassing: string[] = [];
    for (const c of cases) {
      const problem = await replay(c);
      if (problem !== undefined && !(c.id in known.cases)) unexpected.push(`${c.id}\n    expected ${JSON.stringify(c.expected_response)}\n    ${problem}`);
      if (problem === undefined && c.id in known.cases) nowPassing.push(c.id);
    }
    const listed = cases.filter((c) => c.id in known.cases).length;
    console.log(`TestState cases through the API: ${cases.length - listed - unexpected.length} of ${cases.length} answered as AWS did; ` +
      `${listed} listed in test/conformance/test-state.json; ${unexpected.length} unexpected`);
    expect(unexpected, 'cases that do not answer as AWS did').toEqual([]);
    expect(nowPassing, 'listed in test/conformance/test-state.json but passing now: remove them from the list').toEqual([]);
    expect(Object.keys(known.cases).filter((id) => !cases.some((c) => c.id === id)), 'listed cases that are not in the corpus').toEqual([]);
    expect(lambda.invocations.map((i) => i.functionName), 'the unmocked Task called the function').toContain('lambda_func_00000001');
  });
});
