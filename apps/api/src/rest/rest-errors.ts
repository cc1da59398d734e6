/**
 * REST errors: JSON `{ "code": "<AWS code>", "message": "..." }` with the HTTP status a REST client expects:
 * 404 for what does not exist, 409 for what exists already, 401 for a missing or unknown API key, 403 for a
 * request refused as cross-site (developer mode); otherwise the status AWS gives the code.
 */
import { ApiError, type ApiErrorCode } from '@baton/api-contract';

const REST_STATUS: Partial<Record<ApiErrorCode, number>> = {
  StateMachineDoesNotExist: 404,
  ExecutionDoesNotExist: 404,
  TaskDoesNotExist: 404,
  ActivityDoesNotExist: 404,
  ResourceNotFound: 404,
  ExecutionAlreadyExists: 409,
  StateMachineAlreadyExists: 409,
  ActivityAlreadyExists: 409,
  TaskTimedOut: 409,
  // The execution's state does not allow it (running, succeeded, too old): a conflict with its current state.
  ExecutionNotRedrivable: 409,
  MissingAuthenticationToken: 401,
  UnrecognizedClientException: 401,
  AccessDeniedException: 403,
};

export function restStatus(error: ApiError): number {
  return REST_STATUS[error.code] ?? error.httpStatus;
}

export function restErrorBody(error: ApiError): string {
  return JSON.stringify({ code: error.code, message: error.message });
}
