/** JSONata in Step Functions: evaluation of JSONata fields, the functions AWS adds, and AWS's error causes. */
export type { StatesBinding, JsonataScope } from './scope.js';
export { statesObject } from './scope.js';
export { isJsonataExpression, jsonataExpressionBody } from './expression.js';
export { evaluateJsonataValue } from './template.js';
export { evaluateJsonataExpression, describeJsonataError } from './evaluate.js';
export { jsonataSyntaxProblem } from './syntax.js';
export { referencedStatesMembers } from './states-references.js';
export {
  QueryEvaluationError,
  queryEvaluationCause,
  jsonTypeName,
  statePrefix,
  evaluationFailedEventDetails,
} from './errors.js';
export type { JsonTypeName, EvaluationFailedEventDetails } from './errors.js';
export { MAX_EVALUATION_DEPTH, MAX_EVALUATION_STEPS } from './bounds.js';
export { MAX_RANGE_ELEMENTS } from './functions.js';
