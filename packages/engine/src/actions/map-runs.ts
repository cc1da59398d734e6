/**
 * The Map Run actions (AWS API reference: ListMapRuns, DescribeMapRun, UpdateMapRun) and the Map Run side of
 * ListExecutions (`mapRunArn`: the children, newest first, with `mapRunArn` and `itemCount`) and DescribeExecution
 * (`mapRunArn` of a child). Item counts count items, execution counts children: with an ItemBatcher a child covers
 * many items. UpdateMapRun changes the stored limits, which the Map Run's driver reads every round.
 */
import * as api from '@baton/api-contract';
import { ApiError } from '@baton/api-contract';
import { MAX_MAP_RUN_CONCURRENCY } from '@baton/asl';
import type { PageTokens } from '../pagination.js';
import type { Runtime } from '../runtime.js';
import type { MapRunCounts, MapRunSummary } from '../map-run/ports.js';

function counts(c: MapRunCounts, total: number, resultsWritten: number): api.MapRunCounts {
  const started = c.running + c.succeeded + c.failed + c.timedOut + c.aborted;
  return {
    pending: Math.max(0, total - started), running: c.running, succeeded: c.succeeded, failed: c.failed, timedOut: c.timedOut,
    aborted: c.aborted, total, resultsWritten, failuresNotRedrivable: 0, pendingRedrive: 0,
  };
}

export class MapRunActions {
  constructor(private readonly rt: Runtime, private readonly pages: PageTokens) {}

  async listMapRuns(input: api.ListMapRunsInput): Promise<api.ListMapRunsOutput> {
    api.parseExecutionArn(input.executionArn);
    const e = await this.rt.store.executions.getSummaryByArn(input.executionArn);
    if (!e) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${input.executionArn}'`);
    const { items, nextToken } = await this.pages.page(`mr:${e.id}`, input, (range) => this.rt.store.mapRuns.listForExecution(e.id, range));
    return {
      mapRuns: items.map((m) => ({
        executionArn: e.arn, mapRunArn: m.arn, stateMachineArn: m.stateMachineArn, startDate: m.startDate, ...(m.stopDate ? { stopDate: m.stopDate } : {}),
      })),
      ...(nextToken !== undefined ? { nextToken } : {}),
    };
  }

  async describeMapRun(input: api.DescribeMapRunInput): Promise<api.DescribeMapRunOutput> {
    const m = await this.mapRun(input.mapRunArn);
    const parent = await this.rt.store.executions.get(m.executionId);
    return {
      mapRunArn: m.arn, executionArn: parent?.arn ?? '', status: m.status, startDate: m.startDate, ...(m.stopDate ? { stopDate: m.stopDate } : {}),
      maxConcurrency: m.maxConcurrency, toleratedFailurePercentage: m.toleratedFailurePercentage ?? 0, toleratedFailureCount: m.toleratedFailureCount ?? 0,
      itemCounts: counts(m.items, m.itemsRead, m.resultsWritten), executionCounts: counts(m.children, m.nextChild, m.childrenWritten),
      redriveCount: m.redriveCount, ...(m.redriveDate !== null ? { redriveDate: m.redriveDate } : {}),
    };
  }

  async updateMapRun(input: api.UpdateMapRunInput): Promise<api.UpdateMapRunOutput> {
    if (input.maxConcurrency === undefined && input.toleratedFailureCount === undefined && input.toleratedFailurePercentage === undefined) {
      throw new ApiError('ValidationException', 'At least one of maxConcurrency, toleratedFailurePercentage and toleratedFailureCount must be specified');
    }
    const m = await this.mapRun(input.mapRunArn);
    await this.rt.store.mapRuns.update(m.id, {
      ...(input.maxConcurrency !== undefined ? { maxConcurrency: input.maxConcurrency === 0 ? MAX_MAP_RUN_CONCURRENCY : input.maxConcurrency } : {}),
      ...(input.toleratedFailureCount !== undefined ? { toleratedFailureCount: input.toleratedFailureCount } : {}),
      ...(input.toleratedFailurePercentage !== undefined ? { toleratedFailurePercentage: input.toleratedFailurePercentage } : {}),
    });
    return {};
  }

  /** ListExecutions with `mapRunArn`: the Map Run's children. */
  async listChildren(input: api.ListExecutionsInput & { mapRunArn: string }): Promise<api.ListExecutionsOutput> {
    const m = await this.mapRun(input.mapRunArn);
    const scope = `mre:${m.id}:${input.statusFilter ?? ''}:${input.redriveFilter ?? ''}`;
    const filter = {
      ...(input.statusFilter ? { status: input.statusFilter } : {}),
      ...(input.redriveFilter !== undefined ? { redriven: input.redriveFilter === 'REDRIVEN' } : {}),
    };
    const { items, nextToken } = await this.pages.page(scope, input, (range) => this.rt.store.mapRuns.listChildren(m.id, filter, range));
    return {
      executions: items.map((r) => ({
        executionArn: r.arn, stateMachineArn: r.stateMachineArn, name: r.name, status: r.status, startDate: r.startDate,
        ...(r.stopDate ? { stopDate: r.stopDate } : {}), mapRunArn: m.arn, itemCount: r.itemCount, redriveCount: r.redriveCount,
        ...(r.redriveDate !== null ? { redriveDate: r.redriveDate } : {}),
      })),
      ...(nextToken !== undefined ? { nextToken } : {}),
    };
  }

  /** DescribeExecution's `mapRunArn`, for a child execution. */
  async ofChild(executionId: string): Promise<{ mapRunArn?: string }> {
    const m = await this.rt.store.mapRuns.ofChild(executionId);
    return m ? { mapRunArn: m.mapRunArn } : {};
  }

  private async mapRun(arn: string): Promise<MapRunSummary> {
    api.parseMapRunArn(arn);
    const m = await this.rt.store.mapRuns.getSummaryByArn(arn);
    if (!m) throw new ApiError('ResourceNotFound', `Resource not found: '${arn}'`);
    return m;
  }
}
