/**
 * Runs an intrinsic call: arguments left to right (nested calls first), then the function. An argument path that
 * matches nothing (an index past the end included) fails with "The JsonPath argument for the field '<path>' could
 * not be found in the input '<state input>'"; a `$$` path is reported from its context root (`$$.a` as `$.a`).
 * Every failure names the whole expression: "The function '<expression>' had the following error: ...".
 */
import type { Json } from '../json.js';
import { StatesError } from '../errors.js';
import { jsonText } from '../path/json-text.js';
import { queryPath } from '../path/query.js';
import type { PathScope } from '../path/scope.js';
import type { IntrinsicArg, IntrinsicCall } from './ast.js';
import { IntrinsicArgumentError, IntrinsicSyntaxError, intrinsicFailure } from './errors.js';
import { arrayContains, arrayGetItem, arrayLength, arrayPartition, arrayRange, arrayUnique, statesArray } from './array-functions.js';
import { base64Decode, base64Encode } from './encoding.js';
import { hash } from './hash.js';
import { jsonMerge, jsonToString, stringToJson } from './json-functions.js';
import { mathAdd, mathRandom } from './math.js';
import { format, stringSplit } from './string-functions.js';
import { uuid } from './uuid.js';
import { parseIntrinsic } from './parse.js';

function argumentValue(arg: IntrinsicArg, scope: PathScope): Json {
  switch (arg.kind) {
    case 'string':
      return arg.value;
    case 'number':
      return arg.value;
    case 'boolean':
      return arg.value;
    case 'null':
      return null;
    case 'call':
      return run(arg.call, scope);
    case 'path': {
      const r = queryPath(arg.path, scope, { missingIndex: 'none' });
      if (r.found) return r.value;
      const reported = arg.path.startsWith('$$') ? arg.path.slice(1) : arg.path;
      throw new IntrinsicArgumentError(
        `The JsonPath argument for the field '${reported}' could not be found in the input '${jsonText(scope.input)}'`,
      );
    }
  }
}

function run(call: IntrinsicCall, scope: PathScope): Json {
  const args = call.args.map((a) => argumentValue(a, scope));
  switch (call.name) {
    case 'States.Format': {
      const first = call.args[0]!;
      return format(first.kind === 'string' ? first.raw : args[0]!, args.slice(1));
    }
    case 'States.StringToJson':
      return stringToJson(args);
    case 'States.JsonToString':
      return jsonToString(args);
    case 'States.Array':
      return statesArray(args);
    case 'States.ArrayPartition':
      return arrayPartition(args);
    case 'States.ArrayContains':
      return arrayContains(args);
    case 'States.ArrayRange':
      return arrayRange(args);
    case 'States.ArrayGetItem':
      return arrayGetItem(args);
    case 'States.ArrayLength':
      return arrayLength(args);
    case 'States.ArrayUnique':
      return arrayUnique(args);
    case 'States.Base64Encode':
      return base64Encode(args);
    case 'States.Base64Decode':
      return base64Decode(args);
    case 'States.Hash':
      return hash(args);
    case 'States.JsonMerge':
      return jsonMerge(args);
    case 'States.MathRandom':
      return mathRandom(args, scope.random);
    case 'States.MathAdd':
      return mathAdd(args);
    case 'States.StringSplit':
      return stringSplit(args);
    case 'States.UUID':
      return uuid(scope.random);
  }
}

/** Evaluates "States.Xxx(...)" against the scope. Throws StatesError (States.Runtime). */
export function evaluateIntrinsic(text: string | IntrinsicCall, scope: PathScope): Json {
  let call: IntrinsicCall;
  try {
    call = typeof text === 'string' ? parseIntrinsic(text) : text;
  } catch (e) {
    if (e instanceof IntrinsicSyntaxError) throw intrinsicFailure(String(text).trim(), e.message);
    throw e;
  }
  try {
    return run(call, scope);
  } catch (e) {
    if (e instanceof IntrinsicArgumentError) throw intrinsicFailure(call.text, e.message);
    if (e instanceof StatesError) throw e;
    throw e;
  }
}
