/**
 * A Map Run in memory, for `runLocal` (`baton run`, tests, conformance replay): the children run one after another
 * through the caller's `runChild`, with the same batching, ItemSelector, tolerance and result rules as the
 * engine's durable Map Runs. Items come from the state input only: an ItemReader or a ResultWriter exporting to
 * S3 fails the Map Run with a message saying so (this runner has no S3), never silently.
 */
import type { Json } from '../json.js';
import { StatesError } from '../errors.js';
import { QueryEvaluationError } from '../jsonata/index.js';
import type { Signal } from '../interpreter/types.js';
import { ItemBatches, selectItem, type ChildInput, type ItemEnv } from './items.js';
import { resultEntries, toleranceExceeded, TOLERANCE_EXCEEDED, type ChildRecord, type ChildStatus } from './results.js';
import type { StartMapRunCommand } from './spec.js';

export interface ChildOutcome {
  status: Exclude<ChildStatus, 'RUNNING'>;
  output?: Json;
  error?: string;
  cause?: string;
}

type Ended = Extract<Signal, { kind: 'mapRunEnded' }>;

function failed(mapRunArn: string, error: string, cause: string, location?: string): Ended {
  return { kind: 'mapRunEnded', mapRunArn, status: 'FAILED', error, cause, ...(location !== undefined ? { location } : {}) };
}

export async function runMapRunInMemory(
  cmd: StartMapRunCommand,
  runChild: (input: Json, index: number) => Promise<ChildOutcome>,
  env: ItemEnv & { payloadLimit: number; childArn: (index: number) => string },
): Promise<Ended> {
  if (cmd.source.kind !== 'inline') {
    return failed(cmd.mapRunArn, 'States.ItemReaderFailed', 'This runner cannot read items from S3 (ItemReader): run the state machine on the Baton engine');
  }
  if (cmd.writer?.bucket !== undefined) {
    return failed(cmd.mapRunArn, 'States.ResultWriterFailed', 'This runner cannot export results to S3 (ResultWriter): run the state machine on the Baton engine');
  }
  const items = cmd.source.items;
  const inputs: ChildInput[] = [];
  try {
    const batches = new ItemBatches(cmd.batcher, env.payloadLimit);
    for (const [index, item] of items.entries()) {
      const closed = batches.add(await selectItem(cmd.selector, item, index, env), index);
      if (closed) inputs.push(closed);
    }
    const last = batches.flush();
    if (last) inputs.push(last);
  } catch (e) {
    if (!(e instanceof StatesError)) throw e;
    return failed(cmd.mapRunArn, e.error, e.cause ?? '', e instanceof QueryEvaluationError ? e.location : undefined);
  }
  const results: Json[] = [];
  let failedItems = 0;
  for (const [index, child] of inputs.entries()) {
    const outcome = await runChild(child.input, index);
    const record: ChildRecord = {
      executionArn: env.childArn(index), name: env.childArn(index).split(':').pop()!, stateMachineArn: '', status: outcome.status,
      input: JSON.stringify(child.input), output: outcome.output === undefined ? null : JSON.stringify(outcome.output),
      error: outcome.error ?? null, cause: outcome.cause ?? null, startDate: new Date(env.now).toISOString(), stopDate: new Date(env.now).toISOString(),
    };
    results.push(...resultEntries(record, cmd.writer?.transformation ?? 'COMPACT'));
    if (outcome.status !== 'SUCCEEDED') failedItems += child.itemCount;
    if (toleranceExceeded(cmd, failedItems, items.length)) return failed(cmd.mapRunArn, TOLERANCE_EXCEEDED.error, TOLERANCE_EXCEEDED.cause);
  }
  return { kind: 'mapRunEnded', mapRunArn: cmd.mapRunArn, status: 'SUCCEEDED', output: results };
}
