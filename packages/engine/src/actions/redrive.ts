/**
 * RedriveExecution and the redrive fields of DescribeExecution (AWS API reference "RedriveExecution",
 * "DescribeExecution"; developer guide "Redriving executions").
 *
 * An execution can be redriven when it is a STANDARD execution that ended FAILED, TIMED_OUT or ABORTED less than
 * 14 days ago (a Map Run's child only through its parent: REDRIVABLE_BY_MAP_RUN), within a year of its start, fewer than `MAX_REDRIVES` times, and its document recorded where to resume
 * (@baton/asl's redrive.ts). The redrive is one transaction: under the compare-and-set on the execution's version it
 * sets the row RUNNING again (redrive count + 1, redrive date, no stop date, error or cause), keeps the client token,
 * and inserts the `redrive` signal; the transition that consumes that signal records ExecutionRedriven and runs the
 * unsuccessful states again, with the definition the execution started with (its stored revision).
 *
 * clientToken: AWS answers the same redrive for the last 10 client tokens that redrove an execution, for 15 minutes
 * after their first use; the SDK fills one in on every call, so a retried request does not redrive twice.
 */
import * as api from '@baton/api-contract';
import { ApiError } from '@baton/api-contract';
import { transitionJob, type Dispatch } from '../job-ids.js';
import type { ExecutionRecord, ExecutionSummary, RedriveToken, StoreSession } from '../ports.js';
import type { Runtime } from '../runtime.js';

/** AWS quota "Maximum number of redrives of an execution": 1,000. */
export const MAX_REDRIVES = 1000;
const REDRIVABLE_PERIOD_MS = 14 * 24 * 3600 * 1000;
const MAX_OPEN_MS = 365 * 24 * 3600 * 1000;
const TOKENS_KEPT = 10;
const TOKEN_LIFETIME_MS = 15 * 60 * 1000;

export type RedriveStatus = Pick<api.DescribeExecutionOutput, 'redriveStatus' | 'redriveStatusReason'>;

/**
 * DescribeExecution's redriveStatus / redriveStatusReason, with AWS's reason texts. `doc` is needed only for an
 * execution that ended unsuccessfully; `mapRunChild` when it was started by a Map Run.
 */
export function redriveStatus(
  e: ExecutionSummary & Partial<Pick<ExecutionRecord, 'doc'>>,
  machine: { type: string } | undefined,
  mapRunChild: boolean,
  now: number,
): RedriveStatus {
  const no = (reason: string): RedriveStatus => ({ redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: reason });
  if (e.status === 'RUNNING' || e.status === 'SUCCEEDED') return no(`Execution is ${e.status} and cannot be redriven`);
  if (!mapRunChild && !machine) return no('State machine is in DELETING status');
  if (machine?.type === 'EXPRESS') return no('Execution of an EXPRESS state machine cannot be redriven');
  if (e.doc?.notRedrivable !== undefined) return no(e.doc.notRedrivable);
  // Ended before Baton recorded where executions stand when they end (AWS's reason for executions that old).
  if (e.doc !== undefined && e.doc.redrive === undefined) return no('Execution was started before the launch of RedriveExecution');
  if (now - e.startDate.getTime() > MAX_OPEN_MS) return no('Execution has exceeded the max execution time');
  if (e.stopDate && now - e.stopDate.getTime() > REDRIVABLE_PERIOD_MS) return no('Execution redrivable period exceeded');
  if (e.redriveCount >= MAX_REDRIVES) return no(`Execution has been redriven the maximum number of times (${MAX_REDRIVES})`);
  // A Map Run's child is redriven by its Map Run, when its parent execution is redriven.
  return { redriveStatus: mapRunChild ? 'REDRIVABLE_BY_MAP_RUN' : 'REDRIVABLE' };
}

export async function redriveExecution(rt: Runtime, input: api.RedriveExecutionInput): Promise<api.RedriveExecutionOutput> {
  api.parseExecutionArn(input.executionArn);
  const now = rt.clock.now();
  const done = await rt.store.transaction(async (tx): Promise<{ redriveDate: Date; dispatch?: Dispatch }> => {
    const e = await tx.executions.getByArn(input.executionArn);
    if (!e) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${input.executionArn}'`);
    const token = input.clientToken;
    const kept = e.redriveTokens.filter((t) => now - Date.parse(t.redriveDate) < TOKEN_LIFETIME_MS);
    const same = token !== undefined ? kept.find((t) => t.token === token) : undefined;
    if (same) return { redriveDate: new Date(same.redriveDate) };
    const status = redriveStatus(e, await machineOf(tx, e), (await tx.mapRuns.ofChild(e.id)) !== undefined, now);
    if (status.redriveStatus === 'REDRIVABLE_BY_MAP_RUN') {
      throw new ApiError('ExecutionNotRedrivable', `Execution '${e.arn}' cannot be redriven: it is a child execution of a Map Run; redrive its parent execution`);
    }
    if (status.redriveStatus !== 'REDRIVABLE') {
      throw new ApiError('ExecutionNotRedrivable', `Execution '${e.arn}' cannot be redriven: ${status.redriveStatusReason}`);
    }
    // A Map Run of this execution still stopping its children (just after StopExecution) cannot be redriven yet.
    if ((await tx.mapRuns.listForExecution(e.id, { offset: 0, limit: 1000 })).some((m) => m.status === 'RUNNING')) {
      throw new ApiError('ExecutionNotRedrivable', `Execution '${e.arn}' cannot be redriven yet: its Map Run is still stopping its child executions`);
    }
    const date = new Date(now);
    const count = e.redriveCount + 1;
    const tokens: RedriveToken[] = token !== undefined ? [...kept, { token, redriveDate: date.toISOString() }].slice(-TOKENS_KEPT) : kept;
    const updated = await tx.executions.update(e.id, e.version, {
      doc: e.doc, status: 'RUNNING', output: null, error: null, cause: null, stopDate: null, redrive: { count, date, tokens },
    });
    // Someone else changed it meanwhile (another redrive): AWS would see it RUNNING.
    if (!updated) throw new ApiError('ExecutionNotRedrivable', `Execution '${e.arn}' cannot be redriven: Execution is RUNNING and cannot be redriven`);
    const signalId = await tx.signals.insert(e.id, { kind: 'redrive', redriveCount: count });
    return { redriveDate: date, dispatch: transitionJob(e.id, signalId) };
  });
  if (done.dispatch) await rt.dispatch([done.dispatch]);
  return { redriveDate: done.redriveDate };
}

async function machineOf(tx: StoreSession, e: ExecutionSummary): Promise<{ type: string } | undefined> {
  return tx.stateMachines.get(e.stateMachineArn);
}
