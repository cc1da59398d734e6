/**
 * AWS JSON 1.0 on the wire: `Content-Type: application/x-amz-json-1.0`; timestamps as epoch seconds
 * (fractions for milliseconds), which is how the SDKs read them back into Dates; errors as
 * `{"__type": "<Code>", "message": "..."}` with the code's HTTP status, which the SDKs turn into their
 * own exception classes (`ExecutionDoesNotExist`, `ValidationException`, ...).
 */
import type { ApiError } from '@baton/api-contract';

export const AMZ_JSON_1_0 = 'application/x-amz-json-1.0';
export const TARGET_PREFIX = 'AWSStepFunctions.';

export function toWireJson(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : v;
  });
}

export function errorWireBody(error: ApiError): string {
  return JSON.stringify({ ...error.fields, __type: error.code, message: error.message });
}
