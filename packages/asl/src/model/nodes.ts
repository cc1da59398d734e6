/**
 * Compiled state machine nodes: typed, `kind`-tagged, readonly, built once by `compileDefinition`.
 * Raw definitions keep AWS spelling (`ResultPath`); nodes use camelCase. Templates and expressions stay as JSON
 * and are evaluated by the data-flow modules at run time.
 */
import type { Json, JsonObject } from '../json.js';

export type QueryLanguage = 'JSONPath' | 'JSONata';

export interface Retrier {
  readonly errorEquals: readonly string[];
  readonly intervalSeconds: number;
  readonly maxAttempts: number;
  readonly backoffRate: number;
  readonly maxDelaySeconds: number | undefined;
  readonly jitter: 'FULL' | 'NONE';
}

export interface Catcher {
  readonly errorEquals: readonly string[];
  readonly next: string;
  readonly resultPath: string | null | undefined; // JSONPath mode; undefined = "$"
  readonly output: Json | undefined; // JSONata mode
  readonly assign: JsonObject | undefined;
}

/** What every state has: name, query language, transition, and the JSONPath data-flow fields it may carry. */
export interface BaseNode {
  readonly name: string;
  readonly queryLanguage: QueryLanguage;
  readonly next: string | undefined;
  readonly end: boolean;
  readonly comment: string | undefined;
  readonly inputPath: string | null | undefined; // undefined = "$"; null = {}
  readonly outputPath: string | null | undefined;
  readonly resultPath: string | null | undefined;
  readonly parameters: Json | undefined; // Parameters (JSONPath)
  readonly resultSelector: Json | undefined;
  readonly arguments: Json | undefined; // Arguments (JSONata)
  readonly output: Json | undefined; // Output (JSONata)
  readonly assign: JsonObject | undefined;
  readonly raw: JsonObject;
}

export interface PassNode extends BaseNode {
  readonly kind: 'Pass';
  readonly result: Json | undefined;
  readonly hasResult: boolean;
}

export interface TaskNode extends BaseNode {
  readonly kind: 'Task';
  readonly resource: string;
  readonly timeoutSeconds: Json | undefined; // number, or a JSONata expression
  readonly timeoutSecondsPath: string | undefined;
  readonly heartbeatSeconds: Json | undefined;
  readonly heartbeatSecondsPath: string | undefined;
  readonly credentials: Json | undefined;
  readonly retry: readonly Retrier[];
  readonly catch: readonly Catcher[];
}

export interface ChoiceBranch {
  readonly rule: JsonObject; // the raw rule (JSONPath: Variable + operator, And/Or/Not; JSONata: Condition)
  readonly next: string;
  readonly assign: JsonObject | undefined;
  readonly output: Json | undefined;
}

export interface ChoiceNode extends BaseNode {
  readonly kind: 'Choice';
  readonly choices: readonly ChoiceBranch[];
  readonly default: string | undefined;
}

export interface WaitNode extends BaseNode {
  readonly kind: 'Wait';
  readonly seconds: Json | undefined;
  readonly secondsPath: string | undefined;
  readonly timestamp: Json | undefined;
  readonly timestampPath: string | undefined;
}

export interface SucceedNode extends BaseNode {
  readonly kind: 'Succeed';
}

export interface FailNode extends BaseNode {
  readonly kind: 'Fail';
  readonly error: Json | undefined;
  readonly errorPath: string | undefined;
  readonly cause: Json | undefined;
  readonly causePath: string | undefined;
}

export interface ParallelNode extends BaseNode {
  readonly kind: 'Parallel';
  readonly branches: readonly string[]; // machine ids
  readonly retry: readonly Retrier[];
  readonly catch: readonly Catcher[];
}

export interface MapNode extends BaseNode {
  readonly kind: 'Map';
  readonly processor: string; // machine id of ItemProcessor / Iterator
  readonly mode: 'INLINE' | 'DISTRIBUTED';
  readonly itemsPath: string | undefined;
  readonly items: Json | undefined; // JSONata Items
  readonly itemSelector: Json | undefined; // ItemSelector, or legacy Parameters
  readonly maxConcurrency: Json | undefined;
  readonly maxConcurrencyPath: string | undefined;
  readonly toleratedFailureCount: Json | undefined;
  readonly toleratedFailureCountPath: string | undefined;
  readonly toleratedFailurePercentage: Json | undefined;
  readonly toleratedFailurePercentagePath: string | undefined;
  readonly label: string | undefined;
  readonly itemReader: Json | undefined;
  readonly itemBatcher: Json | undefined;
  readonly resultWriter: Json | undefined;
  readonly retry: readonly Retrier[];
  readonly catch: readonly Catcher[];
}

export type StateNode = PassNode | TaskNode | ChoiceNode | WaitNode | SucceedNode | FailNode | ParallelNode | MapNode;
export type StateKind = StateNode['kind'];

/** One state machine: the top level, a Parallel branch, or a Map item processor. */
export interface MachineNode {
  readonly id: string;
  readonly startAt: string;
  readonly states: ReadonlyMap<string, StateNode>;
  readonly queryLanguage: QueryLanguage;
}

export interface Program {
  readonly root: MachineNode;
  readonly machines: ReadonlyMap<string, MachineNode>;
  readonly timeoutSeconds: number | undefined;
  readonly definition: JsonObject;
}
