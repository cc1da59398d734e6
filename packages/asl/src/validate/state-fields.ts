/**
 * Which fields each state type takes (AWS developer guide, one page per state type, and "Transforming data with
 * JSONata"), and which of them belong to one query language only. A field a type never takes is "not
 * supported"; a field of the other language gets "The QueryLanguage is set to 'JSONPath', but field 'Output' is
 * only supported for the 'JSONata' QueryLanguage" (and the reverse), both located at the state.
 */

export const STATE_TYPES = ['Pass', 'Succeed', 'Fail', 'Task', 'Choice', 'Wait', 'Parallel', 'Map'] as const;
export type StateType = (typeof STATE_TYPES)[number];

const COMMON = ['Type', 'Comment', 'QueryLanguage'];
const TRANSITION = ['Next', 'End'];
const IO = ['InputPath', 'OutputPath'];
const RESULT = ['ResultPath', 'ResultSelector'];
const ERRORS = ['Retry', 'Catch'];

export const STATE_FIELDS: Readonly<Record<StateType, ReadonlySet<string>>> = {
  Pass: new Set([...COMMON, ...TRANSITION, ...IO, 'Parameters', 'Result', 'ResultPath', 'Output', 'Assign']),
  Succeed: new Set([...COMMON, ...IO, 'Output']),
  Fail: new Set([...COMMON, 'Error', 'ErrorPath', 'Cause', 'CausePath']),
  Task: new Set([
    ...COMMON, ...TRANSITION, ...IO, ...RESULT, ...ERRORS, 'Resource', 'Parameters', 'Arguments', 'Credentials',
    'TimeoutSeconds', 'TimeoutSecondsPath', 'HeartbeatSeconds', 'HeartbeatSecondsPath', 'Output', 'Assign',
  ]),
  Choice: new Set([...COMMON, ...IO, 'Choices', 'Default', 'Output', 'Assign']),
  Wait: new Set([...COMMON, ...TRANSITION, ...IO, 'Seconds', 'SecondsPath', 'Timestamp', 'TimestampPath', 'Output', 'Assign']),
  Parallel: new Set([...COMMON, ...TRANSITION, ...IO, ...RESULT, ...ERRORS, 'Branches', 'Parameters', 'Arguments', 'Output', 'Assign']),
  Map: new Set([
    ...COMMON, ...TRANSITION, ...IO, ...RESULT, ...ERRORS, 'ItemProcessor', 'Iterator', 'ItemsPath', 'Items',
    'ItemSelector', 'Parameters', 'ItemReader', 'ItemBatcher', 'ResultWriter', 'MaxConcurrency', 'MaxConcurrencyPath',
    'ToleratedFailureCount', 'ToleratedFailureCountPath', 'ToleratedFailurePercentage', 'ToleratedFailurePercentagePath',
    'Label', 'Output', 'Assign',
  ]),
};

/** Fields only JSONPath states take, in the order their diagnostics are emitted. */
export const JSONPATH_ONLY_FIELDS = [
  'InputPath', 'OutputPath', 'ResultPath', 'ResultSelector', 'Parameters', 'Result', 'ItemsPath',
  'SecondsPath', 'TimestampPath', 'TimeoutSecondsPath', 'HeartbeatSecondsPath', 'ErrorPath', 'CausePath',
  'MaxConcurrencyPath', 'ToleratedFailureCountPath', 'ToleratedFailurePercentagePath',
] as const;

/** Fields only JSONata states take, in the order their diagnostics are emitted. */
export const JSONATA_ONLY_FIELDS = ['Output', 'Arguments', 'Items'] as const;

/** The states that carry Next / End (Choice, Succeed and Fail do not). */
export const TRANSITION_TYPES: ReadonlySet<StateType> = new Set(['Pass', 'Task', 'Wait', 'Parallel', 'Map']);
