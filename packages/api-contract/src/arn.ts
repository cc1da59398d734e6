/**
 * Step Functions ARNs, as AWS builds them:
 *   arn:<partition>:states:<region>:<account>:stateMachine:<name>
 *   arn:<partition>:states:<region>:<account>:execution:<state machine name>:<execution name>
 *   arn:<partition>:states:<region>:<account>:express:<state machine name>:<execution name>:<id>
 *   arn:<partition>:states:<region>:<account>:activity:<name>
 *   arn:<partition>:states:<region>:<account>:stateMachine:<name>:<version number>   (a version)
 *   arn:<partition>:states:<region>:<account>:stateMachine:<name>:<alias name>       (an alias)
 *   arn:<partition>:states:<region>:<account>:mapRun:<state machine name>/<label>:<id>
 * A malformed ARN is `InvalidArn` "Invalid Arn: 'Invalid ARN prefix: <arn>'"; a well-formed ARN of another
 * resource type is `InvalidArn` "Invalid Arn: 'Resource type not valid in this context: <type>'".
 */
import { ApiError } from './errors.js';

export type ArnResourceType = 'stateMachine' | 'execution' | 'express' | 'activity' | 'mapRun';

/** Where ARNs are minted: region and account come from options (defaults us-east-1, 123456789012). */
export interface ArnScope {
  partition: string;
  region: string;
  account: string;
}

export const DEFAULT_ARN_SCOPE: ArnScope = { partition: 'aws', region: 'us-east-1', account: '123456789012' };

export interface ParsedArn extends ArnScope {
  resourceType: ArnResourceType;
  /** The state machine name for stateMachine/execution/express ARNs, the activity name for activity ARNs. */
  name: string;
  /** The execution name for execution/express ARNs. */
  executionName?: string;
  /** Version number or alias name when a state machine ARN carries a qualifier (`...:stateMachine:sm:1`). */
  qualifier?: string;
  arn: string;
}

export function stateMachineArn(scope: ArnScope, name: string): string {
  return `${prefix(scope)}:stateMachine:${name}`;
}

export function executionArn(scope: ArnScope, stateMachineName: string, executionName: string): string {
  return `${prefix(scope)}:execution:${stateMachineName}:${executionName}`;
}

export function activityArn(scope: ArnScope, name: string): string {
  return `${prefix(scope)}:activity:${name}`;
}

/** The execution ARN for an execution of the state machine whose ARN is given. */
export function executionArnFor(stateMachine: string, executionName: string): string {
  const sm = parseStateMachineArn(stateMachine);
  return executionArn(sm, sm.name, executionName);
}

function prefix(scope: ArnScope): string {
  return `arn:${scope.partition}:states:${scope.region}:${scope.account}`;
}

const RESOURCE_PARTS: Record<ArnResourceType, readonly number[]> = {
  stateMachine: [1, 2],
  execution: [2],
  express: [3],
  activity: [1],
  mapRun: [2],
};

/** Parses any Step Functions ARN; throws `InvalidArn` as AWS words it. */
export function parseArn(arn: string): ParsedArn {
  const parts = arn.split(':');
  const [scheme, partition, service, region, account, type, ...rest] = parts;
  const wellFormed =
    scheme === 'arn' &&
    !!partition &&
    service === 'states' &&
    !!region &&
    !!account &&
    /^\d{12}$/.test(account) &&
    !!type &&
    rest.every((p) => p.length > 0);
  if (!wellFormed || !isResourceType(type) || !RESOURCE_PARTS[type].includes(rest.length)) {
    if (wellFormed && type && !isResourceType(type)) throw wrongType(type);
    throw new ApiError('InvalidArn', `Invalid Arn: 'Invalid ARN prefix: ${arn}'`);
  }
  const base = { partition, region, account, resourceType: type, name: rest[0] as string, arn };
  switch (type) {
    case 'stateMachine':
      return rest.length === 2 ? { ...base, qualifier: rest[1] } : base;
    case 'execution':
    case 'express':
      return { ...base, executionName: rest[1] };
    case 'activity':
    case 'mapRun':
      return base;
    default: {
      const never: never = type;
      throw new Error(`unhandled ARN type ${String(never)}`);
    }
  }
}

export function parseStateMachineArn(arn: string): ParsedArn {
  return expect(parseArn(arn), ['stateMachine']);
}

export function parseExecutionArn(arn: string): ParsedArn {
  return expect(parseArn(arn), ['execution', 'express']);
}

export function parseMapRunArn(arn: string): ParsedArn {
  return expect(parseArn(arn), ['mapRun']);
}

export function parseActivityArn(arn: string): ParsedArn {
  return expect(parseArn(arn), ['activity']);
}

function expect(parsed: ParsedArn, types: readonly ArnResourceType[]): ParsedArn {
  if (!types.includes(parsed.resourceType)) throw wrongType(parsed.resourceType);
  return parsed;
}

function wrongType(type: string): ApiError {
  return new ApiError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${type}'`);
}

function isResourceType(t: string | undefined): t is ArnResourceType {
  return t === 'stateMachine' || t === 'execution' || t === 'express' || t === 'activity' || t === 'mapRun';
}

/**
 * What a state machine ARN names: the state machine itself (unqualified), one of its versions (`:<n>`) or one of
 * its aliases (`:<alias>`). An alias name always holds a letter, `_`, `-` or `.` (its pattern is
 * `^(?=.*[a-zA-Z_\-\.])[a-zA-Z0-9_\-\.]+$`), so an all-digit qualifier is a version; `version` is undefined for a
 * non-canonical number (`:0`, `:01`), which then names no version at all.
 */
export type StateMachineTarget =
  | { kind: 'stateMachine'; stateMachineArn: string; name: string; arn: string }
  | { kind: 'version'; stateMachineArn: string; name: string; arn: string; version: number | undefined }
  | { kind: 'alias'; stateMachineArn: string; name: string; arn: string; alias: string };

export function parseStateMachineTarget(arn: string): StateMachineTarget {
  const parsed = parseStateMachineArn(arn);
  const base = { stateMachineArn: stateMachineArn(parsed, parsed.name), name: parsed.name, arn };
  const q = parsed.qualifier;
  if (q === undefined) return { kind: 'stateMachine', ...base };
  if (/^\d+$/.test(q)) {
    const n = Number(q);
    return { kind: 'version', ...base, version: String(n) === q && n >= 1 ? n : undefined };
  }
  return { kind: 'alias', ...base, alias: q };
}

export function stateMachineVersionArn(stateMachine: string, version: number): string {
  return `${stateMachine}:${version}`;
}

export function stateMachineAliasArn(stateMachine: string, alias: string): string {
  return `${stateMachine}:${alias}`;
}
