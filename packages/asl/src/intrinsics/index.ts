/** Intrinsic functions for JSONPath states: parse ("States.Xxx(...)") and evaluate, with AWS's errors. */
export { INTRINSIC_NAMES, ARITY, type IntrinsicName, type IntrinsicArg, type IntrinsicCall } from './ast.js';
export { IntrinsicSyntaxError, INTRINSIC_RUNTIME_ERROR, intrinsicFailure } from './errors.js';
export { isIntrinsicCall, parseIntrinsic } from './parse.js';
export { evaluateIntrinsic } from './evaluate.js';
export { ARRAY_RANGE_MAX_ITEMS } from './array-functions.js';
export { BASE64_MAX_INPUT_CHARS } from './encoding.js';
export { HASH_MAX_INPUT_CHARS } from './hash.js';
