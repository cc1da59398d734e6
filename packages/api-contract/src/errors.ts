/**
 * API errors: one class carrying the AWS error code (`ExecutionDoesNotExist`, `InvalidDefinition`, ...).
 * Only the API serialises them, in the AWS JSON 1.0 shape (`__type`, `message`) the SDKs recognise.
 */

/** AWS Step Functions API error codes and the HTTP status AWS answers with. */
export const API_ERROR_STATUS = {
  ActivityAlreadyExists: 400,
  ActivityDoesNotExist: 400,
  ActivityLimitExceeded: 400,
  ActivityWorkerLimitExceeded: 400,
  // Versions and aliases (AWS API reference: ConflictException is 409, ServiceQuotaExceededException 402).
  ConflictException: 409,
  ExecutionAlreadyExists: 400,
  ExecutionDoesNotExist: 400,
  ExecutionLimitExceeded: 400,
  ExecutionNotRedrivable: 400,
  InvalidArn: 400,
  InvalidDefinition: 400,
  InvalidExecutionInput: 400,
  InvalidLoggingConfiguration: 400,
  InvalidName: 400,
  InvalidOutput: 400,
  InvalidToken: 400,
  InvalidTracingConfiguration: 400,
  MissingRequiredParameter: 400,
  ResourceNotFound: 400,
  ServiceQuotaExceededException: 402,
  StateMachineAlreadyExists: 400,
  StateMachineDeleting: 400,
  StateMachineDoesNotExist: 400,
  StateMachineLimitExceeded: 400,
  StateMachineTypeNotSupported: 400,
  TaskDoesNotExist: 400,
  TaskTimedOut: 400,
  TooManyTags: 400,
  ValidationException: 400,
  // Protocol and authentication errors (AWS JSON 1.0; statuses per AWS's "Common Errors" pages and the
  // service's observed answers: a bad or missing credential is 403, a malformed request 400).
  UnknownOperationException: 400,
  SerializationException: 400,
  AccessDeniedException: 400,
  UnrecognizedClientException: 400,
  InvalidSignatureException: 403,
  IncompleteSignature: 400,
  MissingAuthenticationToken: 403,
  RequestExpired: 400,
  RequestEntityTooLargeException: 413,
  // A body that is not JSON (AWS Lambda's name and status); developer mode refuses it on every write.
  UnsupportedMediaTypeException: 415,
  ThrottlingException: 400,
  InternalFailure: 500,
  ServiceUnavailable: 503,
} as const;

export type ApiErrorCode = keyof typeof API_ERROR_STATUS;

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  /** Members the error shape carries besides `message` (e.g. ValidationException's `reason`), sent on the wire. */
  readonly fields: Readonly<Record<string, string>>;
  constructor(code: ApiErrorCode, message: string, options?: { cause?: unknown; fields?: Record<string, string> }) {
    super(message, options);
    this.name = 'ApiError';
    this.code = code;
    this.fields = options?.fields ?? {};
  }
  get httpStatus(): number {
    return API_ERROR_STATUS[this.code];
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}
