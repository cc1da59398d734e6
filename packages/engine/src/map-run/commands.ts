/**
 * The interpreter's Map Run commands, written in the parent's transition transaction: `startMapRun` records the Map
 * Run (and the ItemProcessor as the definition of the children's state machine) and wakes a driver; `stopMapRun`
 * asks the driver to end it early, aborting the children (StopExecution of the parent, a failure around the Map).
 */
import type { ExecutionDoc, StartMapRunCommand } from '@baton/asl';
import { transitionJob, type Dispatch } from '../job-ids.js';
import type { StoreSession } from '../ports.js';

/**
 * The stored spec: the command, and what the children inherit from the parent execution: its role, and its trace
 * context (`parentTrace`, the W3C traceparent of its root span), so that the children's spans join its trace.
 */
export type MapRunSpec = StartMapRunCommand & { roleArn: string; parentTrace?: string };

export function mapRunJob(mapRunId: string, reason: string): Dispatch {
  return { job: { kind: 'mapRun', mapRunId }, jobId: `m-${mapRunId}-${reason}` };
}

/** `arn:...:stateMachine:<parent name>/<label>`: the state machine the children run (AWS's form). */
export function childStateMachineArn(parentStateMachineArn: string, label: string): string {
  return `${parentStateMachineArn}/${label}`;
}

export async function startMapRun(tx: StoreSession, executionId: string, doc: ExecutionDoc, c: StartMapRunCommand, now: Date, parentTrace?: string): Promise<Dispatch[]> {
  const parent = await tx.executions.getSummaryByArn(doc.context.executionArn);
  if (!parent) throw new Error(`execution ${doc.context.executionArn} is missing`);
  const stateMachineArn = childStateMachineArn(doc.context.stateMachineArn, c.label);
  await tx.mapRuns.insertProcessorRevision({
    stateMachineArn, revision: parent.stateMachineRevision, definition: JSON.stringify(c.processor), roleArn: doc.context.roleArn, createdAt: now,
  });
  const spec: MapRunSpec = { ...c, roleArn: doc.context.roleArn, ...(parentTrace !== undefined ? { parentTrace } : {}) };
  await tx.mapRuns.insert({
    arn: c.mapRunArn, executionId, stateMachineArn, stateMachineRevision: parent.stateMachineRevision,
    status: c.failed ? 'FAILED' : 'RUNNING', spec, maxConcurrency: c.maxConcurrency,
    toleratedFailureCount: c.toleratedFailureCount ?? null, toleratedFailurePercentage: c.toleratedFailurePercentage ?? null,
    error: c.failed?.error ?? null, cause: c.failed?.cause ?? null, startDate: now, stopDate: c.failed ? now : null,
  });
  if (c.failed) return [];
  const run = await tx.mapRuns.getSummaryByArn(c.mapRunArn);
  return run ? [mapRunJob(run.id, 'start')] : [];
}

/**
 * Redrives a Map Run that failed or was aborted (its parent execution was redriven): in one statement, the Map Run
 * is RUNNING again with its redrive count and date, and each child execution that ended unsuccessfully and can
 * resume is redriven in place (RUNNING, its own redrive count + 1, a `redrive` signal); the counters move those
 * children back to running. The driver then reads the items not yet read and waits for every child as before.
 */
export async function redriveMapRun(tx: StoreSession, mapRunArn: string, redriveCount: number, now: Date): Promise<Dispatch[]> {
  const run = await tx.mapRuns.getSummaryByArn(mapRunArn);
  if (!run) throw new Error(`Map Run ${mapRunArn} is missing`);
  const redriven = await tx.mapRuns.redrive(run.id, redriveCount, now);
  if (!redriven) return [];
  return [...redriven.children.map((c) => transitionJob(c.executionId, c.signalId)), mapRunJob(run.id, `redrive-${redriveCount}`)];
}

export async function stopMapRun(tx: StoreSession, mapRunArn: string): Promise<Dispatch[]> {
  const run = await tx.mapRuns.getSummaryByArn(mapRunArn);
  if (!run || run.status !== 'RUNNING') return [];
  await tx.mapRuns.requestEnd(run.id, 'ABORTED');
  return [mapRunJob(run.id, 'stop')];
}
