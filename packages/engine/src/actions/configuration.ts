/**
 * The configuration members of CreateStateMachine / UpdateStateMachine / CreateActivity, checked as AWS checks
 * them, and how Describe* shows them.
 *
 * - loggingConfiguration: exactly one CloudWatch Logs destination unless the level is OFF ("Invalid Logging
 *   Configuration: Must specify exactly one Log Destination.", as recorded from AWS), given as a log group ARN
 *   with the `:*` qualifier. Executions log at their revision's configuration (observability/execution-log-events.ts),
 *   delivered to the log group by the worker role (observability/execution-log-shipper.ts).
 * - tracingConfiguration: `enabled` turns per-state spans on (observability/execution-spans.ts), as X-Ray does.
 * - encryptionConfiguration: AWS_OWNED_KEY (what AWS uses when none is given) is accepted and returned; a
 *   customer-managed KMS key is refused: Baton does not encrypt payloads with the customer's keys.
 */
import * as api from '@baton/api-contract';
import { ApiError } from '@baton/api-contract';
import type { Json } from '@baton/asl';

const LOG_GROUP_ARN = /^arn:[a-z0-9-]+:logs:[a-z0-9-]+:\d{12}:log-group:[\w./#-]+(:\*)?$/;

function invalidLogging(why: string): ApiError {
  return new ApiError('InvalidLoggingConfiguration', `Invalid Logging Configuration: ${why}`);
}

/** Throws `InvalidLoggingConfiguration` as AWS does; returns what to store (null when none was given). */
export function checkedLogging(config: api.LoggingConfiguration | undefined): Json | null {
  if (config === undefined) return null;
  const destinations = config.destinations ?? [];
  const level = config.level ?? 'OFF';
  if (destinations.length > 1 || (level !== 'OFF' && destinations.length === 0)) {
    throw invalidLogging('Must specify exactly one Log Destination.');
  }
  for (const d of destinations) {
    const arn = d.cloudWatchLogsLogGroup?.logGroupArn;
    if (arn === undefined) throw invalidLogging('The Log Destination must name a CloudWatch Logs log group (cloudWatchLogsLogGroup.logGroupArn).');
    const m = LOG_GROUP_ARN.exec(arn);
    if (!m) {
      throw invalidLogging(`'${arn}' is not a CloudWatch Logs log group ARN (arn:<partition>:logs:<region>:<account>:log-group:<name>:*).`);
    }
    if (m[1] === undefined) throw invalidLogging("Log Group ARN must be provided with '*' qualifier.");
  }
  return {
    level, includeExecutionData: config.includeExecutionData ?? false,
    ...(destinations.length > 0 ? { destinations: destinations as Json } : {}),
  };
}

/** Throws ValidationException for anything but AWS_OWNED_KEY; returns what to store (null when none was given). */
export function checkedEncryption(config: api.EncryptionConfiguration | undefined): Json | null {
  if (config === undefined) return null;
  switch (config.type) {
    case 'AWS_OWNED_KEY':
      if (config.kmsKeyId !== undefined || config.kmsDataKeyReusePeriodSeconds !== undefined) {
        throw new ApiError(
          'ValidationException',
          'encryptionConfiguration: kmsKeyId and kmsDataKeyReusePeriodSeconds apply only to type CUSTOMER_MANAGED_KMS_KEY',
        );
      }
      return { type: 'AWS_OWNED_KEY' };
    case 'CUSTOMER_MANAGED_KMS_KEY':
      throw new ApiError(
        'ValidationException',
        'encryptionConfiguration: type CUSTOMER_MANAGED_KMS_KEY is not supported: Baton does not encrypt state machines, ' +
          'executions or activities with customer-managed AWS KMS keys. Omit encryptionConfiguration or use type AWS_OWNED_KEY.',
      );
    default: {
      const never: never = config.type;
      throw new ApiError('ValidationException', `encryptionConfiguration: unknown type '${String(never)}'`);
    }
  }
}

/** AWS shows `{level: OFF, includeExecutionData: false}` and `{enabled: false}` when none were given. */
export function shownLogging(stored: Json | null): api.LoggingConfiguration {
  return (stored as api.LoggingConfiguration | null) ?? { level: 'OFF', includeExecutionData: false };
}

export function shownTracing(stored: Json | null): api.TracingConfiguration {
  return (stored as api.TracingConfiguration | null) ?? { enabled: false };
}

export function shownEncryption(stored: Json | null | undefined): { encryptionConfiguration?: api.EncryptionConfiguration } {
  return stored ? { encryptionConfiguration: stored as unknown as api.EncryptionConfiguration } : {};
}

/** Whether a stored logging configuration asks for execution logs. */
export function wantsLogs(stored: Json | null): boolean {
  return ((stored as api.LoggingConfiguration | null)?.level ?? 'OFF') !== 'OFF';
}

/** Structural equality of two stored JSON values (key order ignored). */
export function sameJson(a: Json | null | undefined, b: Json | null | undefined): boolean {
  return canonical(a ?? null) === canonical(b ?? null);
}

function canonical(v: Json): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, Json>)[k]!)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}
