/**
 * Maps one AWS-recorded service execution onto this machine and plays its driver (callback-cases.jsonl: who
 * answers the token). Resource names in the recordings are placeholders: every queue, topic, table, activity and
 * child state machine is created afresh for the case (suffixed with the case number, so concurrent cases never
 * share one), queues and topics in fauxqs, tables in dynalite, buckets and objects in s3rver, activities and children
 * in Baton itself through the SDK. Every Lambda function is an echo (the recordings carry no function code).
 * Drivers: an SQS responder receives the state's message and answers with SendTaskSuccess / SendTaskFailure /
 * SendTaskHeartbeat through the real SDK against the API server, as the recorded test thread or auxiliary state
 * machine did; an activity worker is the recorded auxiliary state machine, run in Baton (aws-sdk:sfn:getActivityTask
 * through the invoker against the same API).
 */
import * as S from '@aws-sdk/client-sfn';
import type { Json, JsonObject } from '@baton/asl';
import type { ConformanceCase } from '../../../support/conformance.js';
import type { Emulators } from '../../../../packages/integrations/test/support/emulators.js';
import { ACCOUNT, type IntegrationStack } from './integration-stack.js';
import { prepareItemReaderCase } from './item-reader-objects.js';

const RECORDED_ACCOUNT = '111111111111';

export interface CallbackCase {
  id: string;
  driver: string;
  auxiliary_state_machines?: { role: string; definition: JsonObject }[] | null;
}

/** Why the case cannot run here, or undefined. */
export function unsupported(c: ConformanceCase): string | undefined {
  // Every service the recorded cases use has an emulator here (s3rver holds the Distributed Map ItemReader objects,
  // item-reader-objects.ts); keep this hook for a case that needs one Baton cannot have.
  void c;
  return undefined;
}

/**
 * The objects LocalStack's test_s3_get_object put before each run (its `file_body` parameters; the recordings keep
 * only their ETag and length), stored as S3 stores a body put without a Content-Type: `binary/octet-stream`.
 */
const GET_OBJECT_BODIES: Record<string, string> = {
  binary: 'binary data', bytearray: 'byte array data', empty_binary: '', empty_str: '', str: 'text data',
};

/** S3 cases: the placeholder bucket `bucket-x` becomes a fresh bucket of the case (with the object the recorded
 * test put there); other bucket names are left alone (test_no_such_bucket's must not exist). */
export async function prepareS3(emu: Emulators, c: ConformanceCase, text: string, n: number): Promise<string> {
  if (!text.includes('"bucket-x"')) return text;
  const bucket = `bucket-x-c${n}`;
  await emu.createBucket(bucket);
  const param = /test_s3_get_object\[(\w+)\]/.exec(c.id)?.[1];
  if (param !== undefined) await emu.putObject(bucket, 'file_key', GET_OBJECT_BODIES[param]!, 'binary/octet-stream');
  return text.replaceAll('"bucket-x"', `"${bucket}"`);
}

/** Every string anywhere in a JSON value (resource names to map onto the emulators). */
export function strings(v: unknown, out: Set<string> = new Set()): Set<string> {
  if (typeof v === 'string') out.add(v);
  else if (Array.isArray(v)) v.forEach((x) => strings(x, out));
  else if (v && typeof v === 'object') Object.values(v).forEach((x) => strings(x, out));
  return out;
}

export interface PreparedCase {
  definition: JsonObject;
  input: Json;
  /** Queues the responder watches (the case's own, after mapping). */
  queues: string[];
  /** Topics the case publishes to, each with a queue subscribed (SNS envelope delivery) for the responder. */
  topicInboxes: string[];
  /** Activities the case's Task states wait on. */
  activities: string[];
}

/** A Pass child for nested-execution cases whose child definition the recording does not carry. */
const PASS_CHILD: JsonObject = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };

export async function prepareCase(stack: IntegrationStack, c: ConformanceCase, cb: CallbackCase | undefined, n: number): Promise<PreparedCase> {
  const { emu } = stack;
  let text = JSON.stringify({ d: c.definition, i: c.input_omitted ? {} : c.input });
  if (/"ItemReader"/.test(text)) {
    const key = (c.input as { Key?: string } | null)?.Key ?? 'file.json';
    text = text.replaceAll('"bucket-x"', JSON.stringify(await prepareItemReaderCase(stack.s3, c.id, key, n)));
  }
  const queues: string[] = [];
  const topicInboxes: string[] = [];
  const activities: string[] = [];
  const children = (cb?.auxiliary_state_machines ?? []).filter((a) => a.role !== 'activity_worker');
  let childIndex = 0;
  text = await prepareS3(emu, c, text, n);
  for (const s of strings(JSON.parse(text))) {
    let m = /^https:\/\/sqs\.us-east-1\.amazonaws\.com\/111111111111\/([\w-]+?)(\.fifo)?$/.exec(s);
    if (m) {
      const fifo = m[2] !== undefined;
      const q = await emu.createQueue(`${m[1]}-c${n}${fifo ? '.fifo' : ''}`, fifo ? { FifoQueue: 'true', ContentBasedDeduplication: 'true' } : undefined);
      queues.push(q.url);
      text = text.replaceAll(s, q.url);
      continue;
    }
    m = /^arn:aws:sns:us-east-1:111111111111:([\w-]+?)(\.fifo)?$/.exec(s);
    if (m) {
      const fifo = m[2] !== undefined;
      const topicArn = await emu.createTopic(`${m[1]}-c${n}${fifo ? '.fifo' : ''}`, fifo ? { FifoTopic: 'true' } : undefined);
      if (!fifo) {
        const inbox = await emu.createQueue(`${m[1]}-inbox-c${n}`);
        await emu.subscribe(topicArn, inbox.arn, { raw: false });
        topicInboxes.push(inbox.url);
      }
      text = text.replaceAll(s, topicArn);
      continue;
    }
    if (/^sfn_test_table_\d+$/.test(s)) {
      await emu.createTable(`${s}_c${n}`);
      text = text.replaceAll(`"${s}"`, `"${s}_c${n}"`);
      continue;
    }
    m = /^arn:aws:lambda:us-east-1:111111111111:function:([\w-]+)$/.exec(s) ?? /^((?:lambda|sfn_lambda|fn-data-flow|fn-eval)[\w-]*\d{8})$/.exec(s);
    if (m) {
      if (!/^no_such_/.test(m[1]!)) emu.lambda.define(m[1]!, (event) => event);
      text = text.replaceAll(s, s.replace(RECORDED_ACCOUNT, ACCOUNT));
      continue;
    }
    m = /^arn:aws:states:us-east-1:111111111111:activity:([\w-]+)$/.exec(s);
    if (m) {
      const r = await stack.sfn.send(new S.CreateActivityCommand({ name: `${m[1]}-c${n}` }));
      activities.push(r.activityArn!);
      text = text.replaceAll(s, r.activityArn!);
      continue;
    }
    m = /^arn:aws:states:us-east-1:111111111111:stateMachine:([\w-]+)$/.exec(s);
    if (m) {
      if (/NoSuchArn/.test(m[1]!)) {
        text = text.replaceAll(s, s.replace(RECORDED_ACCOUNT, ACCOUNT));
        continue;
      }
      const definition = children[childIndex++]?.definition ?? PASS_CHILD;
      const arn = await stack.createStateMachine(`${m[1]}-c${n}`, await mapChild(stack, definition, n));
      text = text.replaceAll(s, arn);
    }
  }
  const { d, i } = JSON.parse(text) as { d: JsonObject; i: Json };
  return { definition: d, input: i, queues, topicInboxes, activities };
}

/** A child definition: its Lambda functions become echoes under this account. */
async function mapChild(stack: IntegrationStack, definition: JsonObject, _n: number): Promise<JsonObject> {
  let text = JSON.stringify(definition);
  for (const s of strings(definition)) {
    const m = /^arn:aws:lambda:us-east-1:111111111111:function:([\w-]+)$/.exec(s);
    if (m) {
      stack.emu.lambda.define(m[1]!, (event) => event);
      text = text.replaceAll(s, s.replace(RECORDED_ACCOUNT, ACCOUNT));
    }
  }
  return JSON.parse(text) as JsonObject;
}

/** How the recorded test answered a task token it read from a message. */
type Answer =
  | { kind: 'success'; output: (body: JsonObject, raw: string) => string; heartbeats: number }
  | { kind: 'failure'; error?: string; cause?: string };

/** The answer the driver text describes, or undefined when nothing answers (or no message carries a token). */
export function driverAnswer(driver: string): Answer | undefined {
  if (!/Responder = /.test(driver)) return undefined;
  if (/SendTaskFailure/.test(driver)) {
    return /NO error and NO cause/.test(driver) ? { kind: 'failure' } : { kind: 'failure', error: 'Failure error', cause: 'Failure cause' };
  }
  if (/SendTaskHeartbeat\(taskToken\) 10 times/.test(driver)) return { kind: 'success', output: (_b, raw) => raw, heartbeats: 10 };
  if (/output='\{\}'/.test(driver)) return { kind: 'success', output: () => '{}', heartbeats: 0 };
  if (/output=JSON-string of Body\.Message/.test(driver)) {
    return { kind: 'success', output: (b) => JSON.stringify(b.Message ?? null), heartbeats: /SendTaskHeartbeat/.test(driver) ? 1 : 0 };
  }
  throw new Error(`driver not understood: ${driver}`);
}

/** The token and body of a received message: the state's JSON body, or the JSON `Message` of an SNS envelope. */
function tokenOf(rawBody: string): { token: string; body: JsonObject; raw: string } | undefined {
  let body: JsonObject;
  try {
    body = JSON.parse(rawBody) as JsonObject;
  } catch {
    return undefined;
  }
  if (body.Type === 'Notification' && typeof body.Message === 'string') return tokenOf(body.Message);
  const token = body.TaskToken ?? body.taskToken;
  return typeof token === 'string' ? { token, body, raw: rawBody } : undefined;
}

/** Plays the responder until `done` resolves: receives messages and answers their tokens through the SDK. */
export async function respond(stack: IntegrationStack, queueUrls: string[], answer: Answer, done: Promise<unknown>): Promise<void> {
  let finished = false;
  void done.finally(() => (finished = true));
  while (!finished) {
    for (const url of queueUrls) {
      for (const m of await stack.emu.receive(url, 0)) {
        const t = tokenOf(m.Body ?? '');
        if (!t) continue;
        await answerToken(stack.sfn, t, answer).catch(() => undefined);
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function answerToken(sfn: S.SFNClient, t: { token: string; body: JsonObject; raw: string }, answer: Answer): Promise<void> {
  if (answer.kind === 'failure') {
    await sfn.send(new S.SendTaskFailureCommand({
      taskToken: t.token, ...(answer.error !== undefined ? { error: answer.error } : {}), ...(answer.cause !== undefined ? { cause: answer.cause } : {}),
    }));
    return;
  }
  for (let i = 0; i < answer.heartbeats; i++) await sfn.send(new S.SendTaskHeartbeatCommand({ taskToken: t.token }));
  await sfn.send(new S.SendTaskSuccessCommand({ taskToken: t.token, output: answer.output(t.body, t.raw) }));
}

/** Starts the recorded activity worker (an auxiliary state machine) in Baton for each activity of the case. */
export async function startActivityWorkers(stack: IntegrationStack, cb: CallbackCase, activities: string[], n: number): Promise<string[]> {
  const worker = cb.auxiliary_state_machines?.find((a) => a.role === 'activity_worker');
  if (!worker) return [];
  const sm = await stack.createStateMachine(`activity-worker-c${n}`, worker.definition);
  return Promise.all(activities.map((ActivityArn) => stack.start(sm, { ActivityArn })));
}
