/**
 * The Step Functions JSON 1.0 protocol: `POST /` with `X-Amz-Target: AWSStepFunctions.<Action>` and a JSON
 * body. Resolves the action (unknown -> `UnknownOperationException`), parses the body (not UTF-8, not JSON or
 * not an object -> `SerializationException`), checks it against the action's shape (`ValidationException` with AWS's
 * texts) and calls the backend method of the same name (camelCase).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { withIncomingTraceHeaders } from '@baton/observability';
import {
  ApiError,
  isSfnAction,
  methodOf,
  type SfnAction,
  type SfnBackend,
  type UpdateStateMachineInput,
  type ValidateStateMachineDefinitionInput,
} from '@baton/api-contract';
import { REQUEST_SHAPES } from './request-shapes.js';
import { validateRequest } from './validate-shape.js';
import { validateStateMachineDefinition } from './validate-definition.js';
import { TARGET_PREFIX } from './wire.js';

export function resolveAction(target: string | undefined): SfnAction {
  const action = target?.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
  if (action === undefined || !isSfnAction(action)) {
    throw new ApiError('UnknownOperationException', `Unknown operation: '${target ?? ''}'`);
  }
  return action;
}

/** Strict UTF-8: invalid bytes are refused rather than silently turned into U+FFFD (a BOM is kept, and refused by JSON.parse). */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function parseJsonBody(body: Buffer): unknown {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new ApiError('SerializationException', 'The request body is not valid UTF-8.');
  }
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ApiError('SerializationException', 'The request body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ApiError('SerializationException', 'The request body must be a JSON object.');
  }
  return value;
}

/** Validates `body` for `action` and runs it on `backend`. */
export async function invokeAction(
  backend: SfnBackend,
  action: SfnAction,
  body: unknown,
  signal: AbortSignal,
  requestHeaders: IncomingHttpHeaders = {},
): Promise<unknown> {
  // The request's trace headers go with the input: a new execution continues the caller's trace.
  const input = withIncomingTraceHeaders(validateRequest(body, REQUEST_SHAPES[action]), requestHeaders);
  checkSemantics(action, input);
  if (action === 'ValidateStateMachineDefinition') {
    return validateStateMachineDefinition(input as unknown as ValidateStateMachineDefinitionInput);
  }
  if (action === 'GetActivityTask') {
    return backend.getActivityTask(input as never, signal);
  }
  const method = backend[methodOf(action)] as ((input: unknown) => Promise<unknown>) | undefined;
  if (typeof method !== 'function') {
    throw new ApiError('UnknownOperationException', `Operation ${action} is not available on this server.`);
  }
  return method.call(backend, input);
}

/** Cross-member rules AWS checks before the action runs. */
function checkSemantics(action: SfnAction, input: Record<string, unknown>): void {
  if (action === 'UpdateStateMachine') {
    const u = input as unknown as UpdateStateMachineInput;
    const changes = [u.definition, u.roleArn, u.loggingConfiguration, u.tracingConfiguration, u.encryptionConfiguration];
    if (changes.every((c) => c === undefined)) {
      throw new ApiError(
        'MissingRequiredParameter',
        'Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified',
      );
    }
  }
}
