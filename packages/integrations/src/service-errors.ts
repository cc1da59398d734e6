/**
 * SDK failures as ASL errors, named as Step Functions names them, so Retry and Catch rules written for AWS work
 * unchanged. Two conventions (AWS developer guide, "Handling errors in Step Functions workflows" and "AWS SDK
 * service integrations"):
 * - optimized integrations (`arn:aws:states:::lambda:invoke`, `dynamodb:putItem`, ...) name errors
 *   `<Prefix>.<ExceptionName>` after the service's exception (`DynamoDB.ConditionalCheckFailedException`);
 *   errors the service model does not declare become the service's base exception
 *   (`DynamoDB.AmazonDynamoDBException`, `Lambda.AWSLambdaException`), and failures before any response
 *   `<Prefix>.SdkClientException`. Causes read
 *   "<message> (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ValidationException; Request ID: ...; Proxy: null)".
 * - `aws-sdk:<service>:<action>` names errors `<Service>.<ErrorName>` with both parts in PascalCase and an
 *   `Exception` suffix always added (`S3.NoSuchBucket` -> `S3.NoSuchBucketException`); undeclared errors become
 *   `<Service>.<Service>Exception` (`DynamoDb.DynamoDbException`). Causes read
 *   "<message> (Service: DynamoDb, Status Code: 400, Request ID: ...)"; S3's add ", Extended Request ID: ..."
 *   (AWS recorded "The specified bucket does not exist (Service: S3, Status Code: 404, Request ID: ..., Extended
 *   Request ID: ...)").
 */
import { requestIdOf, type HttpInfo } from './sdk-call.js';

export interface AslError {
  error: string;
  cause?: string;
}

/** How one service's errors are named. `baseException` is the SDK's base class for that service: an error whose
 * class is exactly it was not declared by the service model. */
export interface ErrorNaming {
  readonly style: 'optimized' | 'aws-sdk';
  /** Prefix of the error name: `Lambda`, `DynamoDB`, `SQS` (optimized) or `DynamoDb`, `Sfn` (aws-sdk). */
  readonly prefix: string;
  /** Service name quoted in optimized causes: `AWSLambda`, `AmazonDynamoDBv2`. */
  readonly serviceLabel: string;
  /** Name used for errors the model does not declare: `AWSLambdaException`, `DynamoDbException`. */
  readonly undeclared: string;
  readonly baseException: abstract new (...args: any[]) => Error;
  /** The cause quotes the extended request id (`x-amz-id-2`), as S3's do. */
  readonly extendedRequestId?: boolean;
}

interface SdkServiceError extends Error {
  $fault?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string; extendedRequestId?: string };
  Code?: string;
}

function withExceptionSuffix(name: string): string {
  return name.endsWith('Exception') ? name : `${name}Exception`;
}

export function mapSdkError(err: unknown, naming: ErrorNaming, http: HttpInfo | undefined): AslError {
  const e = err as SdkServiceError;
  const status = e?.$metadata?.httpStatusCode ?? http?.statusCode;
  const isServiceError = err instanceof naming.baseException && status !== undefined;
  if (!isServiceError) {
    const message = err instanceof Error ? err.message : String(err);
    return { error: `${naming.prefix}.SdkClientException`, cause: `Unable to execute HTTP request: ${message}` };
  }
  const declared = Object.getPrototypeOf(err) !== naming.baseException.prototype;
  const code = e.Code ?? e.name;
  const requestId = requestIdOf(err) ?? http?.headers['x-amzn-requestid'] ?? '';
  const message = e.message && e.message !== 'UnknownError' ? e.message : code;
  if (naming.style === 'optimized') {
    return {
      error: `${naming.prefix}.${declared ? withExceptionSuffix(e.name) : naming.undeclared}`,
      cause: `${message} (Service: ${naming.serviceLabel}; Status Code: ${status}; Error Code: ${code}; Request ID: ${requestId}; Proxy: null)`,
    };
  }
  const extended = naming.extendedRequestId ? `, Extended Request ID: ${e.$metadata?.extendedRequestId ?? http?.headers['x-amz-id-2'] ?? ''}` : '';
  return {
    error: `${naming.prefix}.${declared ? withExceptionSuffix(e.name) : naming.undeclared}`,
    cause: `${message} (Service: ${naming.prefix}, Status Code: ${status}, Request ID: ${requestId}${extended})`,
  };
}
