/**
 * @baton/asl: Amazon States Language, pure. definition -> validate -> compile -> step.
 */
export * from './json.js';
export * from './errors.js';
export { QueryEvaluationError } from './jsonata/index.js';
export * from './random.js';
export * from './model/nodes.js';
export { compileDefinition, DefinitionShapeError } from './model/compile.js';
export * from './interpreter/types.js';
export * from './map-run/index.js';
export { step, newExecution } from './interpreter/step.js';
export { terminateExecution, type Termination } from './interpreter/terminate.js';
export { INLINE_MAP_MAX_CONCURRENCY } from './interpreter/branches.js';
export { parseResource, type ParsedResource } from './interpreter/resource.js';
export { runLocal, defaultContext, type LocalRunOptions, type LocalRunResult, type TaskOutcome } from './runner/run-local.js';
export { parseMocks, MockFormatError, type TaskMocks, type MockResponse, type IndexedMocks } from './runner/mocks.js';
export { loadMockFile, parseMockConfigFile, isMockConfigFile, MockTestCase, type MockFileSelection } from './runner/mock-config-file.js';
export { validateDefinition, invalidDefinitionMessage, type Diagnostic, type ValidateOptions } from './validate/index.js';
export { JavaRandom, javaLong } from './java-random.js';
export { HTTP_TASK_FIELDS, HTTP_METHODS, HTTP_ARRAY_FORMATS, HTTP_BODY_ENCODINGS, isReservedHttpHeader } from './validate/http-task.js';
export * from './test-state/index.js';
