/**
 * A Distributed Map (ProcessorConfig.Mode DISTRIBUTED): its iterations are child executions of a Map Run that the
 * engine runs, so this execution's history shows only MapStateEntered, MapStateStarted (length: the inline items,
 * 0 with an ItemReader), MapRunStarted, then MapRunSucceeded / MapRunFailed / MapRunAborted and the state's end
 * (the recorded map_distributed cases). The state issues a `startMapRun` command with everything resolved and
 * waits for a `mapRunEnded` signal carrying the result. Aborting the state (StopExecution, a failing Parallel
 * branch around it) issues `stopMapRun`, and the engine aborts the children.
 */
import { isJsonObject, type Json, type JsonObject } from '../json.js';
import { StatesError } from '../errors.js';
import { QueryEvaluationError } from '../jsonata/index.js';
import { recordEvaluationFailed } from './evaluation-failed.js';
import type { MapNode } from '../model/nodes.js';
import { randomUuid } from '../random.js';
import { MAX_MAP_RUN_CONCURRENCY, type ItemSource, type SelectorSpec, type StartMapRunCommand } from '../map-run/spec.js';
import { jsonataEvaluator, jsonPathEvaluator, resolveBatcher, resolveItemSource, resolveWriter, type FieldEvaluator } from './map-run-config.js';
import type { Stepper } from './stepper.js';
import type { Run, Signal } from './types.js';

type Ended = Extract<Signal, { kind: 'mapRunEnded' }>;

export class DistributedMap {
  constructor(private readonly s: Stepper) {}

  async start(run: Run, node: MapNode): Promise<void> {
    delete run.resumeMapRun;
    const reader = node.itemReader !== undefined;
    // Without a reader the items come from the input (ItemsPath / Items), with the MaxConcurrency and tolerance
    // checks of every Map; with one, AWS does not read ItemsPath at all (recorded: an invalid ItemsPath is ignored).
    const plan = await this.s.flow.mapInput(run, node, reader);
    this.s.emit(run, 'MapStateStarted', { mapStateStartedEventDetails: { length: reader ? 0 : plan.items!.length } });
    if (plan.limitsError) throw plan.limitsError;
    const mapRunArn = this.mapRunArn(node);
    this.s.emit(run, 'MapRunStarted', { mapRunStartedEventDetails: { mapRunArn } });
    run.phase = { kind: 'mapRun', mapRunArn, effectiveInput: plan.effectiveInput };
    const base = this.command(run, node, mapRunArn, plan);
    let resolved: Pick<StartMapRunCommand, 'source' | 'batcher' | 'writer'>;
    try {
      resolved = await this.resolve(run, node, plan.effectiveInput, plan.items);
    } catch (e) {
      if (!(e instanceof StatesError)) throw e;
      const err = this.s.toStatesError(run, node, e);
      this.s.commands.push({ ...base, source: { kind: 'inline', items: [] }, failed: { error: err.error, ...(err.cause !== undefined ? { cause: err.cause } : {}) } });
      return this.failed(run, node, err);
    }
    this.s.commands.push({ ...base, ...resolved });
  }

  /** The Map's signal: the Map Run ended. Stale when the run is no longer waiting for that Map Run. */
  async ended(signal: Ended): Promise<boolean> {
    const run = Object.values(this.s.doc.runs).find((r) => r.phase.kind === 'mapRun' && r.phase.mapRunArn === signal.mapRunArn);
    if (!run || run.phase.kind !== 'mapRun') return false;
    const node = this.s.node(run) as MapNode;
    const effectiveInput = run.phase.effectiveInput;
    const redriveCount = run.phase.redriveCount ?? 0;
    run.phase = { kind: 'done' };
    if (signal.status === 'FAILED') {
      // A redrive of the execution redrives this Map Run (redrive.ts).
      run.resumeMapRun = { mapRunArn: signal.mapRunArn, effectiveInput, redriveCount };
      // A field the Map Run evaluates (its ItemSelector) failed: EvaluationFailed first, as for an inline Map's fields.
      const err = signal.location !== undefined && signal.error === 'States.QueryEvaluationError'
        ? recordEvaluationFailed(this.s, run, node, new QueryEvaluationError(signal.cause ?? '', signal.location))
        : new StatesError(signal.error ?? 'States.Runtime', signal.cause);
      await this.failed(run, node, err);
      return true;
    }
    this.s.emit(run, 'MapRunSucceeded');
    if (signal.error !== undefined) {
      // The Map Run succeeded but its results cannot be the state's output (over the payload limit).
      await this.s.stateFailed(run, node, new StatesError(signal.error, signal.cause), 'MapStateFailed');
      return true;
    }
    // AWS points the StateExited event past the Succeeded event, at the last event before it.
    const beforeSucceeded = run.lastEventId;
    this.s.emit(run, 'MapStateSucceeded');
    run.lastEventId = beforeSucceeded;
    try {
      const { output, assigned } = await this.s.flow.taskOutput(run, node, effectiveInput, signal.output ?? []);
      await this.s.exitState(run, node, output, undefined, assigned);
    } catch (e) {
      await this.s.stateFailed(run, node, this.s.toStatesError(run, node, e));
    }
    return true;
  }

  /** The state is aborted while its Map Run runs: MapRunAborted (the stop itself is issued by `stop`). */
  abort(run: Run): void {
    if (run.phase.kind === 'mapRun') this.s.emit(run, 'MapRunAborted');
  }

  /** The execution ends while the Map Run runs: its children are stopped (no event: the execution is ending). */
  stop(run: Run): void {
    if (run.phase.kind !== 'mapRun') return;
    this.s.commands.push({ kind: 'stopMapRun', mapRunArn: run.phase.mapRunArn });
  }

  private async failed(run: Run, node: MapNode, err: StatesError): Promise<void> {
    run.phase = { kind: 'done' };
    this.s.emit(run, 'MapRunFailed', { mapRunFailedEventDetails: { error: err.error, ...(err.cause !== undefined ? { cause: err.cause } : {}) } });
    await this.s.stateFailed(run, node, err, 'MapStateFailed');
  }

  /** `arn:<partition>:states:<region>:<account>:mapRun:<state machine name>/<label>:<id>` (AWS's form). */
  private mapRunArn(node: MapNode): string {
    const c = this.s.doc.context;
    const account = /:(\d{12}):/.exec(c.stateMachineArn)?.[1] ?? '123456789012';
    return `arn:${c.partition ?? 'aws'}:states:${c.region ?? 'us-east-1'}:${account}:mapRun:${c.stateMachineName}/${this.label(node)}:${randomUuid(this.s.env.random)}`;
  }

  private label(node: MapNode): string {
    return node.label ?? node.name;
  }

  private command(run: Run, node: MapNode, mapRunArn: string, plan: { maxConcurrency?: number; toleratedFailureCount?: number; toleratedFailurePercentage?: number }): Omit<StartMapRunCommand, 'source'> {
    const raw = (node.raw.ItemProcessor ?? node.raw.Iterator) as JsonObject;
    const config = isJsonObject(raw.ProcessorConfig) ? raw.ProcessorConfig : {};
    const { ProcessorConfig: _omit, ...processor } = raw;
    const language = this.s.machine(node.processor).queryLanguage;
    return {
      kind: 'startMapRun', mapRunArn, runId: run.id, stateName: node.name, label: this.label(node),
      executionType: config.ExecutionType === 'EXPRESS' ? 'EXPRESS' : 'STANDARD',
      processor: { ...processor, ...(language === 'JSONata' ? { QueryLanguage: 'JSONata' } : {}) },
      maxConcurrency: plan.maxConcurrency ? Math.min(plan.maxConcurrency, MAX_MAP_RUN_CONCURRENCY) : MAX_MAP_RUN_CONCURRENCY,
      ...(plan.toleratedFailureCount !== undefined ? { toleratedFailureCount: plan.toleratedFailureCount } : {}),
      ...(plan.toleratedFailurePercentage !== undefined ? { toleratedFailurePercentage: plan.toleratedFailurePercentage } : {}),
      ...(node.itemSelector !== undefined ? { selector: this.selector(run, node) } : {}),
    };
  }

  private selector(run: Run, node: MapNode): SelectorSpec {
    const phase = run.phase.kind === 'mapRun' ? run.phase : undefined;
    return {
      queryLanguage: node.queryLanguage, template: node.itemSelector as Json,
      input: node.queryLanguage === 'JSONata' ? run.stateInput : (phase?.effectiveInput ?? null),
      context: this.s.context(run), variables: run.variables,
    };
  }

  private async resolve(run: Run, node: MapNode, effective: Json, items: Json[] | undefined): Promise<Pick<StartMapRunCommand, 'source' | 'batcher' | 'writer'>> {
    const ev: FieldEvaluator = node.queryLanguage === 'JSONata'
      ? jsonataEvaluator(this.s.flow.jsonata.scope(run))
      : jsonPathEvaluator(effective, this.s.flow.scope(run));
    const source: ItemSource = node.itemReader !== undefined ? await resolveItemSource(node, ev) : { kind: 'inline', items: items ?? [] };
    return {
      source,
      ...(node.itemBatcher !== undefined ? { batcher: await resolveBatcher(node, ev) } : {}),
      ...(node.resultWriter !== undefined ? { writer: await resolveWriter(node, ev) } : {}),
    };
  }
}
