/**
 * Bad input at the running API server with the durable engine behind it (Postgres + BullMQ, a worker and a timer
 * service): random and mutated bodies for every action, wrong types, huge strings, bodies that are not JSON,
 * unknown targets, wrong content types and broken signatures; names that are not well-formed Unicode, forged page
 * tokens and bodies their signature does not cover. Every request gets a valid result or an
 * AWS-shaped error (`{"__type", "message"}`, 4xx) within seconds; the server never answers 5xx, crashes or hangs;
 * and an execution that was already running (parked on an activity task) finishes with its expected output.
 * The validator-level fuzz lives in packages/asl/test/fuzz.
 */
import { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SFN_ACTIONS } from '@baton/api-contract';
import { Engine, EngineWorker, type TimerService } from '@baton/engine';
import { BullmqQueue } from '@baton/queue';
import { PgStore } from '@baton/store';
import { ApiServer, parseAccessKeys, silentLogger } from '../../apps/api/src/index.js';
import { signedHeaders } from '../../apps/api/test/support/harness.js';
import { clearRedisPrefix, createTestDatabase, migratedStore, REDIS_URL, testPrefix, type TestDatabase } from '../support/database.js';

const prefix = testPrefix('fuzz');
// Known to the test so that it can forge well-signed page tokens with hostile fields.
const PAGINATION_KEY = 'fuzz-key';
let db: TestDatabase | undefined;
const MAX_BODY = 256 * 1024;

let store: PgStore, queue: BullmqQueue, engine: Engine, worker: EngineWorker, timers: TimerService;
let open: ApiServer, signed: ApiServer;
let openUrl = '', signedUrl = '';
const arns = { protectedActivity: '', activity: '', sm: '', express: '', execution: '', protectedExecution: '' };

const DEF = (result: unknown) => JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Pass', Result: result, End: true } } });
const ROLE = 'arn:aws:iam::123456789012:role/fuzz';

beforeAll(async () => {
  db = await createTestDatabase('fuzz');
  store = await migratedStore(db);
  queue = new BullmqQueue({ redisUrl: REDIS_URL, prefix });
  engine = new Engine({ store, queue, activityPollMs: 300, paginationKey: PAGINATION_KEY, evaluation: { timeoutMs: 1_000, threads: 2 } });
  worker = new EngineWorker(engine, { concurrency: 4, reconcileIntervalMs: 500 });
  await worker.start();
  timers = engine.newTimerService();
  await timers.start();
  open = new ApiServer({ backend: engine, auth: { mode: 'off' }, developerMode: true, maxBodyBytes: MAX_BODY, logger: silentLogger });
  openUrl = (await open.listen(0, '127.0.0.1')).url;
  signed = new ApiServer({ backend: engine, auth: { mode: 'sigv4', accessKeys: parseAccessKeys('AKIDFUZZ:fuzz-secret') }, logger: silentLogger });
  signedUrl = (await signed.listen(0, '127.0.0.1')).url;

  // What mutated bodies point at: decoys only, so that nothing the protected execution needs is a target.
  const activity = async (name: string) => (await engine.createActivity({ name })).activityArn;
  const machine = async (name: string, definition: string, type: 'STANDARD' | 'EXPRESS' = 'STANDARD') =>
    (await engine.createStateMachine({ name, definition, roleArn: ROLE, type })).stateMachineArn;
  arns.protectedActivity = await activity('protected-activity');
  arns.activity = await activity('decoy-activity');
  arns.sm = await machine('decoy', DEF({ decoy: true }));
  arns.express = await machine('decoy-express', DEF({ express: true }), 'EXPRESS');
  arns.execution = (await engine.startExecution({ stateMachineArn: arns.sm, name: 'decoy-run' })).executionArn;
  const guarded = await machine('protected', JSON.stringify({
    StartAt: 'Nap', States: {
      Nap: { Type: 'Wait', Seconds: 1, Next: 'Ask' },
      Ask: { Type: 'Task', Resource: arns.protectedActivity, Parameters: { 'q.$': '$.q' }, ResultPath: '$.answer', Next: 'Done' },
      Done: { Type: 'Pass', Parameters: { 'q.$': '$.q', 'a.$': '$.answer.a' }, End: true },
    },
  }));
  arns.protectedExecution = (await engine.startExecution({ stateMachineArn: guarded, name: 'protected-run', input: '{"q":42}' })).executionArn;
  // A decoy version and alias for the version and alias actions to aim at.
  await engine.publishStateMachineVersion({ stateMachineArn: arns.sm });
  await engine.createStateMachineAlias({ name: 'decoy-alias', routingConfiguration: [{ stateMachineVersionArn: `${arns.sm}:1`, weight: 100 }] });
}, 60_000);

afterAll(async () => {
  await open?.close();
  await signed?.close();
  await worker?.stop().catch(() => {});
  await timers?.stop().catch(() => {});
  await engine?.close().catch(() => {});
  await queue?.close().catch(() => {});
  await store?.close().catch(() => {});
  await db?.drop();
  await clearRedisPrefix(prefix);
}, 60_000);

interface Reply {
  status: number;
  body: Record<string, unknown> | undefined;
  text: string;
}

async function post(url: string, body: string | Buffer, headers: Record<string, string>): Promise<Reply> {
  const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(15_000) });
  const text = await res.text();
  let parsed: Record<string, unknown> | undefined;
  try {
    const v = JSON.parse(text) as unknown;
    if (v && typeof v === 'object' && !Array.isArray(v)) parsed = v as Record<string, unknown>;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed, text };
}

const call = (action: string, body: string | Buffer, extra: Record<string, string> = {}) =>
  post(openUrl, body, { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': `AWSStepFunctions.${action}`, ...extra });

/** A valid result (200 with a JSON object) or an AWS-shaped client error; never a 5xx, never a hang. */
function expectWellFormed(r: Reply, what: string): void {
  const detail = `${what} -> ${r.status} ${r.text.slice(0, 300)}`;
  expect(r.body, detail).toBeDefined();
  if (r.status === 200) return;
  expect(r.status, detail).toBeGreaterThanOrEqual(400);
  expect(r.status, detail).toBeLessThan(500);
  expect(typeof r.body!.__type === 'string' && r.body!.__type.length > 0, detail).toBe(true);
  expect(typeof r.body!.message, detail).toBe('string');
}

/** A valid request body for each action, pointing at the decoys. */
function validBody(action: string): Record<string, unknown> {
  const token = 'AAAA' + 'x'.repeat(60);
  switch (action) {
    case 'CreateStateMachine': return { name: `fz-${randomBytes(4).toString('hex')}`, definition: DEF(1), roleArn: ROLE };
    case 'DescribeStateMachine': return { stateMachineArn: arns.sm };
    case 'UpdateStateMachine': return { stateMachineArn: arns.sm, definition: DEF({ decoy: true }) };
    case 'DeleteStateMachine': return { stateMachineArn: arns.sm.replace(':decoy', ':decoy-gone') };
    case 'ListStateMachines': return { maxResults: 5 };
    case 'DescribeStateMachineForExecution': return { executionArn: arns.execution };
    case 'ValidateStateMachineDefinition': return { definition: DEF(2), type: 'STANDARD' };
    case 'StartExecution': return { stateMachineArn: arns.sm, input: '{"a":1}' };
    case 'StartSyncExecution': return { stateMachineArn: arns.express, input: '{"a":1}' };
    case 'DescribeExecution': return { executionArn: arns.protectedExecution };
    case 'StopExecution': return { executionArn: arns.execution, error: 'Fuzz', cause: 'fuzz' };
    case 'RedriveExecution': return { executionArn: arns.execution, clientToken: 'fuzz-token' };
    case 'GetExecutionHistory': return { executionArn: arns.protectedExecution, maxResults: 3 };
    case 'ListExecutions': return { stateMachineArn: arns.sm, maxResults: 5 };
    case 'SendTaskSuccess': return { taskToken: token, output: '{}' };
    case 'SendTaskFailure': return { taskToken: token, error: 'E', cause: 'C' };
    case 'SendTaskHeartbeat': return { taskToken: token };
    case 'CreateActivity': return { name: `fz-${randomBytes(4).toString('hex')}` };
    case 'DescribeActivity': return { activityArn: arns.activity };
    case 'DeleteActivity': return { activityArn: arns.activity.replace(':decoy-activity', ':decoy-activity-gone') };
    case 'ListActivities': return { maxResults: 5 };
    case 'GetActivityTask': return { activityArn: arns.activity, workerName: 'fuzz' };
    case 'TagResource': return { resourceArn: arns.sm, tags: [{ key: 'k', value: 'v' }] };
    case 'UntagResource': return { resourceArn: arns.sm, tagKeys: ['k'] };
    case 'ListTagsForResource': return { resourceArn: arns.sm };
    case 'PublishStateMachineVersion': return { stateMachineArn: arns.sm, description: 'fuzz' };
    case 'ListStateMachineVersions': return { stateMachineArn: arns.sm, maxResults: 5 };
    case 'DeleteStateMachineVersion': return { stateMachineVersionArn: `${arns.sm}:999` };
    case 'CreateStateMachineAlias':
      return { name: `fz-${randomBytes(4).toString('hex')}`, routingConfiguration: [{ stateMachineVersionArn: `${arns.sm}:1`, weight: 100 }] };
    case 'DescribeStateMachineAlias': return { stateMachineAliasArn: `${arns.sm}:decoy-alias` };
    case 'UpdateStateMachineAlias': return { stateMachineAliasArn: `${arns.sm}:decoy-alias`, description: 'fuzz' };
    case 'DeleteStateMachineAlias': return { stateMachineAliasArn: `${arns.sm}:gone-alias` };
    case 'ListStateMachineAliases': return { stateMachineArn: arns.sm };
    default: return {};
  }
}

// Values of every JSON type, big ones included, and strings that look like what the API expects.
const hostile = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.integer({ min: 1, max: 200_000 }).map((n) => 'x'.repeat(n)),
  fc.constantFrom('', ' ', 'arn:aws:states:us-east-1:123456789012:stateMachine:', 'arn:aws:states:::', '{', 'null', '\u0001', '💥'.repeat(1000)),
  fc.constantFrom(-1, 0, 1e308, -0, 2 ** 53, 1.5, true, false, null, [], {}),
);

const mutation = (keys: string[]) => fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), key: fc.constantFrom(...keys), value: hostile }),
  fc.record({ kind: fc.constant('remove' as const), key: fc.constantFrom(...keys) }),
  fc.record({ kind: fc.constant('add' as const), key: fc.string({ maxLength: 20 }), value: hostile }),
);

it('every action answers mutated bodies with a result or an AWS-shaped error', async () => {
  const actions = SFN_ACTIONS as readonly string[];
  for (const action of actions) {
    const keys = Object.keys(validBody(action));
    await fc.assert(
      fc.asyncProperty(fc.array(mutation(keys.length ? keys : ['x']), { minLength: 1, maxLength: 3 }), async (mutations) => {
        const body: Record<string, unknown> = validBody(action);
        for (const m of mutations) {
          if (m.kind === 'remove') delete body[m.key];
          else body[m.key] = m.value;
        }
        const text = JSON.stringify(body);
        expectWellFormed(await call(action, text), `${action} ${text.slice(0, 200)}`);
      }),
      { numRuns: 30 },
    );
  }
}, 240_000);

it('random bodies, bodies that are not JSON and bodies over the limit get AWS-shaped errors', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...(SFN_ACTIONS as readonly string[])),
      fc.oneof(
        fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? 'null'),
        fc.string({ maxLength: 200 }),
        fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')),
        fc.jsonValue().map((v) => (JSON.stringify({ a: v }) ?? '').slice(0, -1)),
        fc.constantFrom('{"name":', '[]', '"text"', '42', '{"a":1}}', '\ufeff{}', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":1}}'),
      ),
      async (action, body) => {
        expectWellFormed(await call(action, body), `${action} body ${JSON.stringify(body.slice(0, 120))}`);
      },
    ),
    { numRuns: 300 },
  );
  const huge = Buffer.alloc(MAX_BODY + 10, 'a');
  const r = await call('StartExecution', huge);
  expectWellFormed(r, 'a body over the limit');
  expect(r.body!.__type).toBe('RequestEntityTooLargeException');
  const big = await call('StartExecution', JSON.stringify({ stateMachineArn: arns.sm, input: JSON.stringify({ s: 'y'.repeat(MAX_BODY - 200) }) }));
  expectWellFormed(big, 'an input near the body limit');
}, 120_000);

it('bad headers: unknown targets, wrong content types and broken signatures', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('', 'AWSStepFunctions.', 'AWSStepFunctions.startExecution', 'AWSStepFunctions.StartExecution ', 'X.StartExecution')),
      fc.constantFrom('application/x-amz-json-1.0', 'application/json', 'text/plain', '', 'multipart/form-data; boundary=x'),
      fc.oneof(fc.constant(undefined), fc.string({ maxLength: 80 }), fc.constantFrom(
        'AWS4-HMAC-SHA256 Credential=AKIDFUZZ/20240101/us-east-1/states/aws4_request, SignedHeaders=host, Signature=00',
        'AWS4-HMAC-SHA256 Credential=nobody', 'Bearer x', 'AWS4-HMAC-SHA256',
      )),
      async (target, contentType, authorization) => {
        const headers: Record<string, string> = {};
        // fetch refuses header values with control characters; those never reach a server anyway.
        const clean = (s: string) => s.replace(/[^\x20-\x7e]/g, '');
        if (contentType) headers['content-type'] = contentType;
        headers['x-amz-target'] = clean(target);
        if (authorization !== undefined) headers.authorization = clean(authorization);
        const body = JSON.stringify({ stateMachineArn: arns.sm });
        expectWellFormed(await post(openUrl, body, headers), `open server ${JSON.stringify(headers)}`);
        const s = await post(signedUrl, body, { ...headers, 'x-amz-target': 'AWSStepFunctions.ListStateMachines' });
        expectWellFormed(s, `signed server ${JSON.stringify(headers)}`);
        expect(s.status, 'an unsigned or badly signed request is refused').not.toBe(200);
      },
    ),
    { numRuns: 150 },
  );
}, 120_000);

it('after the fuzzing, the server still serves and the execution that was running finishes correctly', async () => {
  const list = await call('ListStateMachines', '{}');
  expect(list.status).toBe(200);
  let task: Reply | undefined;
  for (let i = 0; i < 100 && !task?.body?.taskToken; i++) {
    task = await call('GetActivityTask', JSON.stringify({ activityArn: arns.protectedActivity }));
  }
  expect(task?.body?.taskToken, 'the protected execution reached its activity task').toBeTruthy();
  expect(JSON.parse(String(task!.body!.input))).toEqual({ q: 42 });
  const ok = await call('SendTaskSuccess', JSON.stringify({ taskToken: task!.body!.taskToken, output: '{"a":"answer"}' }));
  expect(ok.status).toBe(200);
  let d: Reply | undefined;
  for (let i = 0; i < 200; i++) {
    d = await call('DescribeExecution', JSON.stringify({ executionArn: arns.protectedExecution }));
    if (d.body?.status !== 'RUNNING') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(d!.body!.status).toBe('SUCCEEDED');
  expect(JSON.parse(String(d!.body!.output))).toEqual({ q: 42, a: 'answer' });
}, 60_000);

// A NUL character inside a string member once reached Postgres, which refuses 0x00 in text, and ended as a 500.
// The request validator now refuses it with a ValidationException; every action and member is tried.
it('a NUL character in any string member gets a 4xx, never a 500', async () => {
  const fivexx: string[] = [];
  for (const action of SFN_ACTIONS as readonly string[]) {
    for (const [key, value] of Object.entries(validBody(action))) {
      if (typeof value !== 'string' || action === 'GetActivityTask' && key === 'activityArn') continue;
      const body = { ...validBody(action), [key]: `${value}\u0000` };
      const r = await call(action, JSON.stringify(body));
      if (r.status >= 500) fivexx.push(`${action}.${key}`);
    }
  }
  console.log(`NUL in a string member -> 5xx: ${fivexx.join(', ') || 'none'}`);
  expect(fivexx).toEqual([]);
}, 60_000);

// Two names that differed only in lone surrogates were stored as the same name (both became U+FFFD), and body
// bytes that are not UTF-8 were silently replaced. Every name member, with any lone surrogate anywhere in it, is
// InvalidName; any other string member is a ValidationException; a body that is not UTF-8 a SerializationException.
it('names that are not well-formed Unicode are InvalidName, and nothing is stored under them', async () => {
  const lone = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
  const clean = fc.stringMatching(/^[a-z0-9-]{0,20}$/);
  const names = fc.tuple(clean, lone, clean, fc.boolean()).map(([a, s, b, twice]) => `${a}${s}${b}${twice ? s : ''}`);
  const nameMembers: Array<[string, string]> = [
    ['CreateStateMachine', 'name'], ['CreateActivity', 'name'], ['StartExecution', 'name'],
    ['StartSyncExecution', 'name'], ['GetActivityTask', 'workerName'],
  ];
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...nameMembers), names, async ([action, member], name) => {
      // JSON.stringify writes a lone surrogate as a \udXXX escape: valid UTF-8 on the wire, as an attacker sends it.
      const r = await call(action, JSON.stringify({ ...validBody(action), [member]: name }));
      expectWellFormed(r, `${action}.${member} ${JSON.stringify(name)}`);
      expect(r.body!.__type, `${action}.${member} ${JSON.stringify(name)}`).toBe('InvalidName');
    }),
    { numRuns: 60 },
  );
  const stored = [
    ...(await engine.listActivities({ maxResults: 1000 })).activities.map((a) => a.name),
    ...(await engine.listStateMachines({ maxResults: 1000 })).stateMachines.map((m) => m.name),
    ...(await engine.listExecutions({ stateMachineArn: arns.sm, maxResults: 1000 })).executions.map((e) => e.name),
  ];
  expect(stored.filter((n) => n.includes('\ufffd'))).toEqual([]);

  for (const [action, member] of [['TagResource', 'tags'], ['StopExecution', 'cause'], ['StartExecution', 'input']] as const) {
    const value = member === 'tags' ? [{ key: 'k\udc00', value: 'v' }] : member === 'input' ? '{"a":"\ud800"}' : 'x\udbff';
    const r = await call(action, JSON.stringify({ ...validBody(action), [member]: value }));
    expectWellFormed(r, `${action}.${member}`);
    expect(r.body!.__type, `${action}.${member}`).toBe('ValidationException');
  }
  const notUtf8 = Buffer.concat([Buffer.from('{"name":"bad'), Buffer.from([0xff, 0xc0]), Buffer.from('"}')]);
  const r = await call('CreateActivity', notUtf8);
  expectWellFormed(r, 'a body that is not UTF-8');
  expect(r.body!.__type).toBe('SerializationException');
}, 120_000);

/** A page token as the engine signs them, but with any payload: what an attacker who knows the key can send. */
function forgeToken(payload: unknown, key = PAGINATION_KEY): string {
  const body = Buffer.from(JSON.stringify(payload) ?? '').toString('base64url');
  return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
}

// A well-signed token whose offset was 1.5 or 1e300 reached SQL and answered 500. Every field is now checked.
it('page tokens: every field is validated, whatever the payload', async () => {
  const listings: Array<[string, string, Record<string, unknown>]> = [
    ['ListStateMachines', 'sm', {}],
    ['ListActivities', 'act', {}],
    ['ListExecutions', `e:${arns.sm}:`, { stateMachineArn: arns.sm }],
  ];
  const badOffset = fc.oneof(
    fc.double({ noInteger: true }),
    fc.constantFrom(1e300, -1, -0.5, 2 ** 53, Number.MAX_VALUE, '1', '0', null, true, [], {}, [1]),
    fc.jsonValue({ maxDepth: 2 }).filter((v) => typeof v !== 'number' && JSON.stringify(v).length < 300),
  );
  await fc.assert(
    fc.asyncProperty(fc.constantFrom(...listings), badOffset, fc.boolean(), async ([action, scope, body], o, extraField) => {
      const token = forgeToken(extraField ? { s: scope, o: 1, x: o } : { s: scope, o });
      const r = await call(action, JSON.stringify({ ...body, nextToken: token }));
      const what = `${action} token ${JSON.stringify(extraField ? { x: o } : { o })}`;
      expectWellFormed(r, what);
      expect(r.body, what).toEqual({ __type: 'InvalidToken', message: "Invalid Token: 'Invalid token'" });
    }),
    { numRuns: 200, endOnFailure: true },
  );
  const [real] = [await call('ListStateMachines', '{"maxResults":1}')];
  const issued = String(real.body!.nextToken);
  const forged = [
    forgeToken({ s: 'act', o: 1 }), // another listing's scope
    forgeToken([]), forgeToken('sm'), forgeToken(null), forgeToken({ o: 1 }), forgeToken({ s: 'sm', o: 1 }, 'another-key'),
    `${issued}.extra`, `${issued.split('.')[0]}.`, `.${issued.split('.')[1]}`, issued.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
    `${Buffer.from('{not json').toString('base64url')}.${createHmac('sha256', PAGINATION_KEY).update(Buffer.from('{not json').toString('base64url')).digest('base64url')}`,
  ];
  for (const nextToken of forged) {
    const r = await call('ListStateMachines', JSON.stringify({ nextToken }));
    expect(r.body, nextToken).toEqual({ __type: 'InvalidToken', message: "Invalid Token: 'Invalid token'" });
  }
  const history = await call('GetExecutionHistory', JSON.stringify({ executionArn: arns.execution, nextToken: forgeToken({ s: 'h:1:f', o: 1e300 }) }));
  expect(history.body!.__type).toBe('InvalidToken');
  // The honest token still pages.
  const next = await call('ListStateMachines', JSON.stringify({ maxResults: 1, nextToken: issued }));
  expect(next.status).toBe(200);
}, 120_000);

// A request signed with x-amz-content-sha256: UNSIGNED-PAYLOAD was accepted with any body. Every body must be
// covered by its signature: any declared hash but the body's own is refused, whatever the body.
it('a signature that does not cover the body is refused, whatever the body and the declared hash', async () => {
  const sign = (body: string, declared: string) => signedHeaders(signedUrl, {
    target: 'AWSStepFunctions.StartExecution', body, keyId: 'AKIDFUZZ', secret: 'fuzz-secret',
    extraHeaders: { 'x-amz-content-sha256': declared },
  });
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom('UNSIGNED-PAYLOAD', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD', 'STREAMING-UNSIGNED-PAYLOAD-TRAILER', '', '0'.repeat(64)),
      fc.oneof(fc.constant(JSON.stringify(validBody('StartExecution'))), fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v) ?? '')),
      async (declared, body) => {
        const headers = await sign(declared === '' ? body : '{}', declared === '' ? 'UNSIGNED-PAYLOAD' : declared);
        delete headers.host;
        const r = await post(signedUrl, body, headers);
        expectWellFormed(r, `x-amz-content-sha256 ${declared || 'UNSIGNED-PAYLOAD'} body ${body.slice(0, 80)}`);
        expect(r.status).toBe(403);
        expect(r.body!.__type).toBe('InvalidSignatureException');
      },
    ),
    { numRuns: 60 },
  );
}, 120_000);
// Issue 18: documents nested past Jackson's 1,000 levels made StartExecution accept an execution that could never
// end (its step overflowed the stack, forever) and other operations answer 500. Every string member of every
// action, and every member as a nested value, is tried with nested documents.
it('documents nested past 1,000 levels get AWS-shaped errors, never a 500', async () => {
  const nested = (depth: number, open = '[', close = ']') => `${open.repeat(depth)}${close.repeat(depth)}`;
  const fivexx: string[] = [];
  for (const action of SFN_ACTIONS as readonly string[]) {
    if (action === 'GetActivityTask') continue; // a long poll, and nothing in it is a document
    for (const key of Object.keys(validBody(action))) {
      for (const depth of [1001, 20_000, 100_000]) {
        for (const value of [nested(depth), nested(depth, '{"a":', '}').replace(/\{"a":\}/, '{"a":1}'), JSON.parse(nested(Math.min(depth, 2000))) as unknown]) {
          const r = await call(action, JSON.stringify({ ...validBody(action), [key]: value }));
          if (r.status >= 500) fivexx.push(`${action}.${key} depth ${depth}`);
          else expectWellFormed(r, `${action}.${key} nested ${depth}`);
        }
      }
    }
  }
  expect(fivexx).toEqual([]);
  const start = await call('StartExecution', JSON.stringify({ stateMachineArn: arns.sm, input: nested(1001) }));
  expect(start.body).toMatchObject({ __type: 'InvalidExecutionInput' });
  expect(String(start.body!.message)).toContain('Document nesting depth (1001) exceeds the maximum allowed (1000');
}, 240_000);

// Issue 18's attacks as definitions: each ends its own execution (failed with AWS's error, or at the history
// limit) while the server goes on answering; the execution protected since the start is unaffected (checked above).
it('the attack definitions end their own executions and stall nothing', async () => {
  let input: unknown = 'leaf';
  for (let i = 0; i < 999; i++) input = { a: input };
  const attacks: [string, object, unknown][] = [
    ['pad-bomb', { QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Pass', Output: '{% $length($pad("", 200000000)) %}', End: true } } }, {}],
    ['regex', { QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Pass', Output: `{% $contains("${'a'.repeat(40)}b", /^(a+)+$/) %}`, End: true } } }, {}],
    ['distinct', { QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Pass', Output: '{% $count($distinct([1..100000])) %}', End: true } } }, {}],
    ['big-map', { QueryLanguage: 'JSONata', StartAt: 'M', States: { M: { Type: 'Map', Items: '{% [1..100000] %}', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, End: true } } }, {}],
    ['string-matches', { StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ Variable: '$.s', StringMatches: `*${'a'.repeat(32_000)}b*`, Next: 'Y' }], Default: 'Y' }, Y: { Type: 'Succeed' } } }, { s: 'a'.repeat(65_536) }],
    ['deep-scan', { StartAt: 'S', States: { S: { Type: 'Pass', Parameters: { 'x.$': '$..*..*' }, End: true } } }, input],
  ];
  const started: [string, string][] = [];
  for (const [name, definition, attackInput] of attacks) {
    const created = await call('CreateStateMachine', JSON.stringify({ name: `attack-${name}`, definition: JSON.stringify(definition), roleArn: ROLE }));
    expect(created.status, created.text).toBe(200);
    const run = await call('StartExecution', JSON.stringify({ stateMachineArn: created.body!.stateMachineArn, input: JSON.stringify(attackInput) }));
    expect(run.status, run.text).toBe(200);
    started.push([name, String(run.body!.executionArn)]);
  }
  const outcome: Record<string, unknown> = {};
  for (const [name, executionArn] of started) {
    let d: Reply | undefined;
    for (let i = 0; i < 1200; i++) {
      d = await call('DescribeExecution', JSON.stringify({ executionArn }));
      expect(d.status).toBe(200); // the API answers all along
      if (d.body?.status !== 'RUNNING') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    outcome[name] = d!.body!.status === 'SUCCEEDED' ? 'SUCCEEDED' : d!.body!.error;
  }
  expect(outcome).toEqual({
    'pad-bomb': 'States.QueryEvaluationError', regex: 'SUCCEEDED', distinct: 'States.QueryEvaluationError',
    'big-map': 'States.Runtime', 'string-matches': 'SUCCEEDED', 'deep-scan': 'States.Runtime',
  });
}, 180_000);
