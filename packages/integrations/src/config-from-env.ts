/**
 * Builds the invoker's endpoint and region options from the SDK's own variables, so the settings that configure
 * any AWS SDK (emulators, VPC endpoints) configure Baton too: `AWS_REGION` (or `AWS_DEFAULT_REGION`),
 * `AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_<SERVICE>` (service id upper-cased, spaces to underscores, as the
 * SDK documents "Service-specific endpoints"), and `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`; plus Baton's own
 * `BATON_S3_FORCE_PATH_STYLE=true` (path-style S3 addressing, which emulators need).
 * Takes the environment as an argument: only apps read `process.env`, once, at boot.
 */
import { SHIPPED_SERVICES, type ShippedService, type TaskInvokerOptions } from './options.js';

/** The SDK service id of each shipped client, as used in `AWS_ENDPOINT_URL_<SERVICE>`. */
const ENV_SERVICE_ID: Record<ShippedService, string> = {
  lambda: 'LAMBDA',
  sns: 'SNS',
  sqs: 'SQS',
  dynamodb: 'DYNAMODB',
  ecs: 'ECS',
  sfn: 'SFN',
};

export class InvokerConfigError extends Error {
  override readonly name = 'InvokerConfigError';
}

export type EnvInvokerOptions = Pick<TaskInvokerOptions, 'region' | 'endpoints' | 's3ForcePathStyle'>;

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
    const s3 = nonEmpty(env.AWS_ENDPOINT_URL_S3);
    if (s3) endpoints.s3 = checkUrl('AWS_ENDPOINT_URL_S3', s3);
  }
  const pathStyle = nonEmpty(env.BATON_S3_FORCE_PATH_STYLE)?.toLowerCase();
  if (pathStyle !== undefined && pathStyle !== 'true' && pathStyle !== 'false') {
    throw new InvokerConfigError(`BATON_S3_FORCE_PATH_STYLE must be true or false, got '${env.BATON_S3_FORCE_PATH_STYLE}'`);
  }
  return {
    region,
    ...(Object.keys(endpoints).length > 0 ? { endpoints } : {}),
    ...(pathStyle === 'true' ? { s3ForcePathStyle: true } : {}),
  };
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
