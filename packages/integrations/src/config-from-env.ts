/**
 * Builds the invoker's endpoint and region options from the SDK's own variables, so the settings that configure
 * any AWS SDK (emulators, VPC endpoints) configure Baton too: `AWS_REGION` (or `AWS_DEFAULT_REGION`),
 * `AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_<SERVICE>` (service id upper-cased, spaces to underscores, as the
 * SDK documents "Service-specific endpoints": `AWS_ENDPOINT_URL_SECRETS_MANAGER` for "Secrets Manager"), and
 * `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`; plus Baton's own:
 * - `BATON_S3_FORCE_PATH_STYLE=true`: path-style S3 addressing, which emulators need;
 * - `BATON_CONNECTIONS_FILE`: a JSON file mapping EventBridge connection ARNs to connections in CreateConnection's
 *   shape, for the HTTP Task; read and checked here, at boot, so a bad file stops the process with its reason;
 * - `BATON_CONNECTIONS_FROM_EVENTBRIDGE=true`: resolve connection ARNs the file does not list through EventBridge
 *   DescribeConnection and the connection's Secrets Manager secret.
 * Takes the environment as an argument: only apps read `process.env`, once, at boot.
 */
import { readFileSync } from 'node:fs';
import { SHIPPED_SERVICES, type ShippedService, type TaskInvokerOptions } from './options.js';
import { ConnectionDefinitionError, parseConnections } from './http/connection-definition.js';

/** The SDK service id of each shipped client, as used in `AWS_ENDPOINT_URL_<SERVICE>`. */
const ENV_SERVICE_ID: Record<ShippedService, string> = {
  lambda: 'LAMBDA',
  sns: 'SNS',
  sqs: 'SQS',
  dynamodb: 'DYNAMODB',
  ecs: 'ECS',
  sfn: 'SFN',
  s3: 'S3',
  eventbridge: 'EVENTBRIDGE',
  secretsmanager: 'SECRETS_MANAGER',
  sts: 'STS',
};

export class InvokerConfigError extends Error {
  override readonly name = 'InvokerConfigError';
}

export type EnvInvokerOptions = Pick<TaskInvokerOptions, 'region' | 'endpoints' | 's3ForcePathStyle' | 'connections' | 'connectionLookup'>;

export function configFromEnv(env: Readonly<Record<string, string | undefined>>, fallbackRegion = 'us-east-1'): EnvInvokerOptions {
  const region = nonEmpty(env.AWS_REGION) ?? nonEmpty(env.AWS_DEFAULT_REGION) ?? fallbackRegion;
  const endpoints: NonNullable<TaskInvokerOptions['endpoints']> = {};
  if (!isTrue(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS)) {
    const global = nonEmpty(env.AWS_ENDPOINT_URL);
    if (global) endpoints.default = checkUrl('AWS_ENDPOINT_URL', global);
    for (const service of SHIPPED_SERVICES) {
      const name = `AWS_ENDPOINT_URL_${ENV_SERVICE_ID[service]}`;
      const value = nonEmpty(env[name]);
      if (value) endpoints[service] = checkUrl(name, value);
    }
  }
  const pathStyle = flag(env, 'BATON_S3_FORCE_PATH_STYLE');
  const lookup = flag(env, 'BATON_CONNECTIONS_FROM_EVENTBRIDGE');
  const file = nonEmpty(env.BATON_CONNECTIONS_FILE);
  return {
    region,
    ...(Object.keys(endpoints).length > 0 ? { endpoints } : {}),
    ...(pathStyle ? { s3ForcePathStyle: true } : {}),
    ...(file !== undefined ? { connections: readConnections(file) } : {}),
    ...(lookup ? { connectionLookup: true } : {}),
  };
}

function flag(env: Readonly<Record<string, string | undefined>>, name: string): boolean {
  const v = nonEmpty(env[name])?.toLowerCase();
  if (v !== undefined && v !== 'true' && v !== 'false') throw new InvokerConfigError(`${name} must be true or false, got '${env[name]}'`);
  return v === 'true';
}

/** The connections file; errors name the file and the field, never a value (values are credentials). */
function readConnections(path: string): NonNullable<TaskInvokerOptions['connections']> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InvokerConfigError(`BATON_CONNECTIONS_FILE: cannot read ${path} (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new InvokerConfigError(`BATON_CONNECTIONS_FILE: ${path} is not valid JSON`);
  }
  try {
    return parseConnections(json, `BATON_CONNECTIONS_FILE ${path}`);
  } catch (e) {
    if (e instanceof ConnectionDefinitionError) throw new InvokerConfigError(e.message);
    throw e;
  }
}

function nonEmpty(v: string | undefined): string | undefined {
  return v !== undefined && v.trim() !== '' ? v.trim() : undefined;
}

function isTrue(v: string | undefined): boolean {
  return v !== undefined && v.trim().toLowerCase() === 'true';
}

function checkUrl(name: string, value: string): string {
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http(s)');
  } catch {
    throw new InvokerConfigError(`${name} must be an http(s) URL, got '${value}'`);
  }
  return value;
}
