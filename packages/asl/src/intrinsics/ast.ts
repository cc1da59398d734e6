/**
 * A parsed intrinsic function call (AWS "Intrinsic functions for JSONPath states"): `States.Name(arg, ...)`
 * where an argument is a 'string' literal, a number, true / false / null, a path (`$...`, `$$...`, `$name...`)
 * or another intrinsic call.
 */
export const INTRINSIC_NAMES = [
  'States.Format',
  'States.StringToJson',
  'States.JsonToString',
  'States.Array',
  'States.ArrayPartition',
  'States.ArrayContains',
  'States.ArrayRange',
  'States.ArrayGetItem',
  'States.ArrayLength',
  'States.ArrayUnique',
  'States.Base64Encode',
  'States.Base64Decode',
  'States.Hash',
  'States.JsonMerge',
  'States.MathRandom',
  'States.MathAdd',
  'States.StringSplit',
  'States.UUID',
] as const;
export type IntrinsicName = (typeof INTRINSIC_NAMES)[number];

export type IntrinsicArg =
  /** `value` has the escapes resolved; `raw` is the text between the quotes (States.Format reads `\{` from it). */
  | { kind: 'string'; value: string; raw: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'null' }
  | { kind: 'path'; path: string }
  | { kind: 'call'; call: IntrinsicCall };

export interface IntrinsicCall {
  readonly name: IntrinsicName;
  readonly args: readonly IntrinsicArg[];
  /** The call as written (the outermost call's text is what AWS names in an error). */
  readonly text: string;
}

/** How many arguments each function takes: [min, max]. */
export const ARITY: Record<IntrinsicName, readonly [number, number]> = {
  'States.Format': [1, Infinity],
  'States.StringToJson': [1, 1],
  'States.JsonToString': [1, 1],
  'States.Array': [0, Infinity],
  'States.ArrayPartition': [2, 2],
  'States.ArrayContains': [2, 2],
  'States.ArrayRange': [3, 3],
  'States.ArrayGetItem': [2, 2],
  'States.ArrayLength': [1, 1],
  'States.ArrayUnique': [1, 1],
  'States.Base64Encode': [1, 1],
  'States.Base64Decode': [1, 1],
  'States.Hash': [2, 2],
  'States.JsonMerge': [3, 3],
  'States.MathRandom': [2, 3],
  'States.MathAdd': [2, 2],
  'States.StringSplit': [2, 2],
  'States.UUID': [0, 0],
};
