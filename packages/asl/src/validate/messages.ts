/**
 * AWS's SCHEMA_VALIDATION_FAILED wording, as recorded from CreateStateMachine / ValidateStateMachineDefinition
 * (e.g. "These fields are required: [States, StartAt]", "Field 'TimeoutSeconds' is not supported",
 * "There should only be one of the following fields: [MaxItems, MaxItemsPath]", "Minimum value is 0",
 * "Value should be one of the following: [JSONPath, JSONata]", "Expected value of type [STRING]").
 */

export type ValueType = 'STRING' | 'INTEGER' | 'NUMBER' | 'BOOLEAN' | 'OBJECT' | 'ARRAY';

export const message = {
  required: (fields: readonly string[]) => `These fields are required: [${fields.join(', ')}]`,
  requiredField: (field: string) => `The field '${field}' is required but was missing`,
  notSupported: (field: string) => `Field '${field}' is not supported`,
  onlyOneOf: (fields: readonly string[]) => `There should only be one of the following fields: [${fields.join(', ')}]`,
  exactlyOneOf: (fields: readonly string[]) => `This object should have only one of the following fields: [${fields.join(', ')}]`,
  type: (type: ValueType) => `Expected value of type [${type}]`,
  minimum: (min: number | string) => `Minimum value is ${min}`,
  maximum: (max: number | string) => `Maximum value is ${max}`,
  oneOfValues: (values: readonly string[]) => `Value should be one of the following: [${values.join(', ')}]`,
  empty: () => 'Value cannot be empty',
  jsonPath: () => 'Value must be a valid JSONPath.',
  referencePath: () => 'Value is not a Reference Path',
  templatePath: (key: string) => `The value for the field '${key}' must be a valid JSONPath or a valid intrinsic function call`,
  statesAll: () => 'States.ALL must appear alone and at end of list',
  missingTarget: (target: string) => `Missing 'Next' target: ${target}`,
  unreachable: (name: string) => `State "${name}" is not reachable.`,
  noTerminal: () => 'Workflow has no terminal state',
  duplicateName: (name: string) => `Duplicate State name: ${name}`,
  nameTooLong: (name: string, max: number) =>
    `Invalid State name: State '${name}' exceeds the ${max}-character limit allowed by the service`,
  jsonataOnly: (field: string) =>
    `The QueryLanguage is set to 'JSONPath', but field '${field}' is only supported for the 'JSONata' QueryLanguage`,
  jsonPathOnly: (field: string) =>
    `The QueryLanguage is set to 'JSONata', but field '${field}' is only supported for the 'JSONPath' QueryLanguage`,
  queryLanguageDowngrade: () => "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
  notAnObject: () => 'Definition must be a valid JSON object',
} as const;
