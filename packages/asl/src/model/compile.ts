/**
 * Turns a definition (already validated) into `Program` nodes. It trusts the validator for shapes and only
 * converts: raw AWS spelling in, camelCase nodes out, branch and item-processor machines given stable ids
 * (`P#0` for branch 0 of Parallel state P, `M` for Map state M's processor, nested as `P#0/M`).
 */
import { isJsonObject, type Json, type JsonObject } from '../json.js';
import type {
  BaseNode, Catcher, ChoiceBranch, MachineNode, Program, QueryLanguage, Retrier, StateNode,
} from './nodes.js';

export class DefinitionShapeError extends Error {}

function str(v: Json | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
function pathField(v: Json | undefined): string | null | undefined {
  if (v === null) return null;
  return typeof v === 'string' ? v : undefined;
}

function retriers(raw: Json | undefined): Retrier[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isJsonObject).map((r) => ({
    errorEquals: Array.isArray(r.ErrorEquals) ? r.ErrorEquals.filter((e): e is string => typeof e === 'string') : [],
    intervalSeconds: typeof r.IntervalSeconds === 'number' ? r.IntervalSeconds : 1,
    maxAttempts: typeof r.MaxAttempts === 'number' ? r.MaxAttempts : 3,
    backoffRate: typeof r.BackoffRate === 'number' ? r.BackoffRate : 2,
    maxDelaySeconds: typeof r.MaxDelaySeconds === 'number' ? r.MaxDelaySeconds : undefined,
    jitter: r.JitterStrategy === 'FULL' ? 'FULL' : 'NONE',
  }));
}

function catchers(raw: Json | undefined): Catcher[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isJsonObject).map((c) => ({
    errorEquals: Array.isArray(c.ErrorEquals) ? c.ErrorEquals.filter((e): e is string => typeof e === 'string') : [],
    next: String(c.Next),
    resultPath: 'ResultPath' in c ? pathField(c.ResultPath) : undefined,
    output: c.Output,
    assign: isJsonObject(c.Assign) ? c.Assign : undefined,
  }));
}

export function compileDefinition(definition: JsonObject): Program {
  const machines = new Map<string, MachineNode>();
  const topLanguage: QueryLanguage = definition.QueryLanguage === 'JSONata' ? 'JSONata' : 'JSONPath';
  const root = compileMachine('', definition, topLanguage, machines);
  return {
    root,
    machines,
    timeoutSeconds: typeof definition.TimeoutSeconds === 'number' ? definition.TimeoutSeconds : undefined,
    definition,
  };
}

function compileMachine(id: string, raw: JsonObject, inherited: QueryLanguage, out: Map<string, MachineNode>): MachineNode {
  const language: QueryLanguage =
    raw.QueryLanguage === 'JSONata' ? 'JSONata' : raw.QueryLanguage === 'JSONPath' ? 'JSONPath' : inherited;
  if (typeof raw.StartAt !== 'string' || !isJsonObject(raw.States)) {
    throw new DefinitionShapeError(`machine ${id || '(top)'} lacks StartAt or States`);
  }
  const states = new Map<string, StateNode>();
  const machine: MachineNode = { id, startAt: raw.StartAt, states, queryLanguage: language };
  out.set(id, machine);
  for (const [name, s] of Object.entries(raw.States)) {
    if (!isJsonObject(s)) throw new DefinitionShapeError(`state ${name} is not an object`);
    states.set(name, compileState(id, name, s, language, out));
  }
  return machine;
}

function compileState(
  machineId: string,
  name: string,
  s: JsonObject,
  inherited: QueryLanguage,
  out: Map<string, MachineNode>,
): StateNode {
  const queryLanguage: QueryLanguage =
    s.QueryLanguage === 'JSONata' ? 'JSONata' : s.QueryLanguage === 'JSONPath' ? 'JSONPath' : inherited;
  const base: BaseNode = {
    name,
    queryLanguage,
    next: str(s.Next),
    end: s.End === true,
    comment: str(s.Comment),
    inputPath: 'InputPath' in s ? pathField(s.InputPath) : undefined,
    outputPath: 'OutputPath' in s ? pathField(s.OutputPath) : undefined,
    resultPath: 'ResultPath' in s ? pathField(s.ResultPath) : undefined,
    parameters: s.Parameters,
    resultSelector: s.ResultSelector,
    arguments: s.Arguments,
    output: s.Output,
    assign: isJsonObject(s.Assign) ? s.Assign : undefined,
    raw: s,
  };
  const prefix = machineId ? `${machineId}/` : '';
  switch (s.Type) {
    case 'Pass':
      return { ...base, kind: 'Pass', result: s.Result, hasResult: 'Result' in s };
    case 'Task':
      return {
        ...base,
        kind: 'Task',
        resource: String(s.Resource),
        timeoutSeconds: s.TimeoutSeconds,
        timeoutSecondsPath: str(s.TimeoutSecondsPath),
        heartbeatSeconds: s.HeartbeatSeconds,
        heartbeatSecondsPath: str(s.HeartbeatSecondsPath),
        credentials: s.Credentials,
        retry: retriers(s.Retry),
        catch: catchers(s.Catch),
      };
    case 'Choice': {
      const choices: ChoiceBranch[] = (Array.isArray(s.Choices) ? s.Choices : []).filter(isJsonObject).map((c) => ({
        rule: c,
        next: String(c.Next),
        assign: isJsonObject(c.Assign) ? c.Assign : undefined,
        output: c.Output,
      }));
      return { ...base, kind: 'Choice', choices, default: str(s.Default) };
    }
    case 'Wait':
      return {
        ...base,
        kind: 'Wait',
        seconds: s.Seconds,
        secondsPath: str(s.SecondsPath),
        timestamp: s.Timestamp,
        timestampPath: str(s.TimestampPath),
      };
    case 'Succeed':
      return { ...base, kind: 'Succeed' };
    case 'Fail':
      return {
        ...base,
        kind: 'Fail',
        error: s.Error,
        errorPath: str(s.ErrorPath),
        cause: s.Cause,
        causePath: str(s.CausePath),
      };
    case 'Parallel': {
      const branches = (Array.isArray(s.Branches) ? s.Branches : []).map((b, i) => {
        if (!isJsonObject(b)) throw new DefinitionShapeError(`branch ${i} of ${name} is not an object`);
        return compileMachine(`${prefix}${name}#${i}`, b, queryLanguage, out).id;
      });
      return { ...base, kind: 'Parallel', branches, retry: retriers(s.Retry), catch: catchers(s.Catch) };
    }
    case 'Map': {
      const proc = isJsonObject(s.ItemProcessor) ? s.ItemProcessor : isJsonObject(s.Iterator) ? s.Iterator : undefined;
      if (!proc) throw new DefinitionShapeError(`Map state ${name} has no ItemProcessor`);
      const processor = compileMachine(`${prefix}${name}`, proc, queryLanguage, out).id;
      const config = isJsonObject(proc.ProcessorConfig) ? proc.ProcessorConfig : {};
      return {
        ...base,
        kind: 'Map',
        processor,
        mode: config.Mode === 'DISTRIBUTED' ? 'DISTRIBUTED' : 'INLINE',
        itemsPath: str(s.ItemsPath),
        items: s.Items,
        itemSelector: 'ItemSelector' in s ? s.ItemSelector : s.Parameters,
        maxConcurrency: s.MaxConcurrency,
        maxConcurrencyPath: str(s.MaxConcurrencyPath),
        toleratedFailureCount: s.ToleratedFailureCount,
        toleratedFailureCountPath: str(s.ToleratedFailureCountPath),
        toleratedFailurePercentage: s.ToleratedFailurePercentage,
        toleratedFailurePercentagePath: str(s.ToleratedFailurePercentagePath),
        label: str(s.Label),
        itemReader: s.ItemReader,
        itemBatcher: s.ItemBatcher,
        resultWriter: s.ResultWriter,
        retry: retriers(s.Retry),
        catch: catchers(s.Catch),
        // Map's legacy Parameters is the item selector, not a state-level template
        parameters: undefined,
      };
    }
    default:
      throw new DefinitionShapeError(`state ${name} has unknown Type ${JSON.stringify(s.Type)}`);
  }
}
