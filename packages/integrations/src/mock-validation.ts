/**
 * TestState's check of a mocked Task result against the API model of the call it stands for
 * (`MockInput.fieldValidationMode`, API reference "MockInput"): STRICT demands every required member and that every
 * present member has its model type; PRESENT checks only the members present; members the model does not know are
 * allowed either way (recorded: `{"random": "json"}` passes STRICT). Messages are AWS's, after its
 * "Mock result schema validation error: " prefix: "Required field 'X' is missing", "Field 'X' must be a string".
 *
 * The models are the SDK clients' own runtime schemas (`@smithy/core/schema`), which carry member types and the
 * required members but not the length, range and enum constraints of the full service model: those AWS checks
 * ("is smaller than the minimum length", "exceeds the maximum value", "is not an expected value") Baton does not
 * make. A resource without a model here (an AWS SDK service Baton does not ship, the HTTP Task, `.sync` results)
 * answers `noModel`, and the engine refuses the mock unless its mode is NONE: never a mock accepted unchecked.
 * Member names are PascalCase, as Step Functions returns them (the camelCase APIs' members capitalised).
 */
import { NormalizedSchema } from '@smithy/core/schema';
import type { StaticOperationSchema, StaticStructureSchema } from '@smithy/types';
import * as DynamoDb from '@aws-sdk/client-dynamodb';
import * as EventBridge from '@aws-sdk/client-eventbridge';
import * as Lambda from '@aws-sdk/client-lambda';
import * as Sfn from '@aws-sdk/client-sfn';
import * as Sns from '@aws-sdk/client-sns';
import * as Sqs from '@aws-sdk/client-sqs';
import * as Ecs from '@aws-sdk/client-ecs';
import { isJsonObject, parseResource, type Json } from '@baton/asl';
import { upperFirst } from './json-shapes.js';
import type { MockCheck } from './port.js';
import { sdkServiceModule } from './services/aws-sdk.js';


/** Optimized integrations whose request-response result is the SDK operation's output. */
const OPTIMIZED: Record<string, { module: Record<string, unknown>; anyJson?: readonly string[] }> = {
  lambda: { module: Lambda, anyJson: ['Payload'] }, // the integration returns the function's result parsed, not a blob
  states: { module: Sfn },
  events: { module: EventBridge },
  dynamodb: { module: DynamoDb },
  sqs: { module: Sqs },
  sns: { module: Sns },
  ecs: { module: Ecs },
};

type Target =
  | { kind: 'sdk'; output: NormalizedSchema; anyJson: readonly string[] }
  | { kind: 'hand'; model: Record<string, MemberType> }
  | { kind: 'anything' }
  | { kind: 'none'; what: string };

type MemberType = 'string' | 'number' | 'object' | 'any';

/**
 * Integrations whose result is not an SDK operation's output: the HTTP Task and API Gateway's invoke answer
 * `{Headers, ResponseBody, StatusCode, StatusText}`, none required (developer guide: "Call HTTPS APIs", "Call API
 * Gateway"; recorded: `{"approval": true}` passes STRICT for apigateway:invoke).
 */
const HTTP_RESPONSE: Record<string, MemberType> = { Headers: 'object', ResponseBody: 'any', StatusCode: 'number', StatusText: 'string' };
const HAND_MODELS: Record<string, Record<string, MemberType>> = { 'http:invoke': HTTP_RESPONSE, 'apigateway:invoke': HTTP_RESPONSE };

function checkHandModel(model: Record<string, MemberType>, value: Record<string, Json>): string | undefined {
  for (const [field, type] of Object.entries(model)) {
    const v = value[field];
    if (v === undefined || type === 'any') continue;
    if (type === 'object' ? !isJsonObject(v) : typeof v !== type) return `Field '${field}' must be ${type === 'object' ? 'an object' : `a ${type}`}`;
  }
  return undefined;
}

function operationOutput(module: Record<string, unknown>, action: string): NormalizedSchema | undefined {
  const op = module[`${upperFirst(action)}$`] as StaticOperationSchema | undefined;
  if (!Array.isArray(op) || op[0] !== 9) return undefined;
  return NormalizedSchema.of(op[5]);
}

function target(resource: string): Target {
  const r = parseResource(resource);
  if (r.family !== 'service' || r.pattern === 'waitForTaskToken') return { kind: 'anything' }; // a function's or a worker's own result
  if (r.pattern !== 'request-response') return { kind: 'none', what: `the result of the .${r.pattern} pattern` };
  const action = r.resource.split('.')[0] ?? '';
  const hand = HAND_MODELS[`${r.resourceType}:${action}`];
  if (hand) return { kind: 'hand', model: hand };
  if (r.resourceType.startsWith('aws-sdk:')) {
    const service = r.resourceType.slice('aws-sdk:'.length);
    const module = sdkServiceModule(service);
    if (!module) return { kind: 'none', what: `the AWS SDK service '${service}'` };
    const output = operationOutput(module, action);
    return output ? { kind: 'sdk', output, anyJson: [] } : { kind: 'none', what: `the action '${service}:${action}'` };
  }
  const optimized = OPTIMIZED[r.resourceType];
  const output = optimized && operationOutput(optimized.module, action);
  return output ? { kind: 'sdk', output, anyJson: optimized.anyJson ?? [] } : { kind: 'none', what: `the resource ${resource}` };
}

export function checkMockResult(resource: string, result: Json, mode: 'STRICT' | 'PRESENT'): MockCheck {
  const t = target(resource);
  if (t.kind === 'anything') return { kind: 'valid' };
  if (t.kind === 'none') return { kind: 'noModel', reason: `Baton has no API model for ${t.what}` };
  if (!isJsonObject(result)) return { kind: 'invalid', message: 'Mocked result must be a JSON object' };
  const message = t.kind === 'sdk' ? checkStructure(t.output, result, mode, t.anyJson) : checkHandModel(t.model, result);
  return message === undefined ? { kind: 'valid' } : { kind: 'invalid', message };
}

function checkStructure(schema: NormalizedSchema, value: Record<string, Json>, mode: 'STRICT' | 'PRESENT', anyJson: readonly string[] = []): string | undefined {
  const static_ = schema.getSchema() as unknown as StaticStructureSchema;
  const required = new Set((static_[4] ?? []).slice(0, static_[6] ?? 0));
  const members = [...schema.structIterator()];
  if (mode === 'STRICT') {
    for (const [name] of members) if (required.has(name) && !(upperFirst(name) in value)) return `Required field '${upperFirst(name)}' is missing`;
  }
  for (const [name, member] of members) {
    const field = upperFirst(name);
    if (!(field in value) || anyJson.includes(field)) continue;
    const problem = checkValue(member, value[field]!, field, mode);
    if (problem !== undefined) return problem;
  }
  return undefined;
}

function checkValue(schema: NormalizedSchema, value: Json, field: string, mode: 'STRICT' | 'PRESENT'): string | undefined {
  const must = (what: string) => `Field '${field}' must be ${what}`;
  if (schema.isDocumentSchema()) return undefined;
  if (schema.isStructSchema() || schema.isUnionSchema()) {
    return isJsonObject(value) ? checkStructure(schema, value, mode) : must('an object');
  }
  if (schema.isListSchema()) {
    if (!Array.isArray(value)) return must('an array');
    for (const item of value) {
      const problem = checkValue(schema.getValueSchema(), item, field, mode);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  if (schema.isMapSchema()) {
    if (!isJsonObject(value)) return must('an object');
    for (const item of Object.values(value)) {
      const problem = checkValue(schema.getValueSchema(), item, field, mode);
      if (problem !== undefined) return problem;
    }
    return undefined;
  }
  if (schema.isStringSchema() || schema.isTimestampSchema() || schema.isBlobSchema()) return typeof value === 'string' ? undefined : must('a string');
  if (schema.isNumericSchema() || schema.isBigIntegerSchema() || schema.isBigDecimalSchema()) return typeof value === 'number' ? undefined : must('a number');
  if (schema.isBooleanSchema()) return typeof value === 'boolean' ? undefined : must('a boolean');
  return undefined;
}
