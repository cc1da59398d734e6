/**
 * JSONPath data flow for JSONPath-mode states (AWS "Paths", "Reference paths", "Parameters", "ResultPath",
 * "InputPath/OutputPath", "Context object"), with Jayway JsonPath semantics.
 */
export type { ParsedJsonPath, PathToken } from './ast.js';
export { normalizedPath } from './ast.js';
export { JsonPathSyntaxError } from './errors.js';
export { parseJsonPath } from './parse.js';
export { splitPathRoot, type PathScope, type PathRoot } from './scope.js';
export { isDefinitePath, isReferencePath, queryJsonPath, queryPath, type QueryOptions, type QueryResult } from './query.js';
export { applyResultPath, resultPathFailureCause } from './result-path.js';
export { applyInputPath, applyOutputPath, selectPath, selectFieldPath, fieldPathNotFoundCause } from './data-path.js';
export { resolvePayloadTemplate, resolveDynamicValue } from './payload-template.js';
export { jsonText, javaText, javaNumberText } from './json-text.js';
export { jsonEqual } from './json-equal.js';
