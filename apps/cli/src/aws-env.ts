/**
 * The task integrations' AWS settings, from the SDK's own variables so that what configures any AWS SDK
 * (emulators, VPC endpoints) configures Baton too: `AWS_REGION` (or `AWS_DEFAULT_REGION`), `AWS_ENDPOINT_URL`,
 * `AWS_ENDPOINT_URL_<SERVICE>` (the service id upper-cased, as the SDK documents "Service-specific endpoints")
 * and `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`; plus Baton's `BATON_S3_FORCE_PATH_STYLE` and the HTTP Task's
 * connections (`BATON_CONNECTIONS_FILE`, read and checked here, at boot, so a bad file stops the process with its
 * reason; errors name the file and the field, never a value: values are credentials). Credentials are the SDK's
 * default provider chain (`AWS_ACCESS_KEY_ID`, `AWS_PROFILE`, web identity, ...), read by the SDK itself.
 */
import { readFileSync } from 'node:fs';
import { arnScopeEnv } from '@baton/api';
import { boolean, defineFragment, text, url, type Variable } from '@baton/config';
import { ConnectionDefinitionError, parseConnections, SHIPPED_SERVICES, type ShippedService, type TaskInvokerOptions } from '@baton/integrations';

export type EnvInvokerOptions = Pick<TaskInvokerOptions, 'region' | 'endpoints' | 's3ForcePathStyle' | 'connections' | 'connectionLookup'>;
type EndpointService = ShippedService;

/** The SDK service id of each client, as spelled in `AWS_ENDPOINT_URL_<SERVICE>` (spaces to underscores). */
const SERVICE_ID: Record<EndpointService, string> = {
  lambda: 'LAMBDA', sns: 'SNS', sqs: 'SQS', dynamodb: 'DYNAMODB', ecs: 'ECS', sfn: 'SFN', s3: 'S3',
  eventbridge: 'EVENTBRIDGE', secretsmanager: 'SECRETS_MANAGER', sts: 'STS',
};

const endpoint = (service: EndpointService): [string, Variable<string | undefined>] => [
  `AWS_ENDPOINT_URL_${SERVICE_ID[service]}`,
  url({
    protocols: ['http:', 'https:'], example: 'http://localhost:4566',
    description: `Endpoint of ${SERVICE_ID[service]} calls (an emulator, a VPC endpoint).${service === 'sfn' ? " Unset: nested executions run on Baton's own API (`BATON_SELF_URL`)." : ''}`,
  }),
];
const ENDPOINT_SERVICES: readonly EndpointService[] = SHIPPED_SERVICES;
const endpointVariables: Readonly<Record<string, Variable<string | undefined>>> = Object.fromEntries(ENDPOINT_SERVICES.map(endpoint));

export const awsEnv = defineFragment({
  title: 'Task integrations (AWS)',
  variables: {
    AWS_REGION: arnScopeEnv.variables.AWS_REGION,
    AWS_DEFAULT_REGION: text({
      pattern: /^[a-z0-9-]+$/, expects: 'a region name such as us-east-1', example: 'eu-west-1',
      description: 'The region of AWS calls when `AWS_REGION` is unset (then `BATON_REGION`).',
    }),
    AWS_ENDPOINT_URL: url({ protocols: ['http:', 'https:'], example: 'http://localhost:4566', description: 'Endpoint of every AWS service without its own `AWS_ENDPOINT_URL_<SERVICE>`.' }),
    ...endpointVariables,
    AWS_ENDPOINT_URL_CLOUDWATCH_LOGS: url({
      protocols: ['http:', 'https:'], example: 'http://localhost:4566',
      description: 'Endpoint of CLOUDWATCH_LOGS calls: where execution logs (a state machine\'s `loggingConfiguration`) are delivered.',
    }),
    AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: boolean({ default: false, example: 'true', description: 'Ignore every `AWS_ENDPOINT_URL*` variable.' }),
    BATON_S3_FORCE_PATH_STYLE: boolean({ default: false, example: 'true', description: 'Path-style S3 addressing (`http://host/bucket/key`), which S3 emulators need.' }),
    BATON_CONNECTIONS_FILE: text({
      example: '/etc/baton/connections.json',
      description: "The HTTP Task's connections: a JSON file mapping each EventBridge connection ARN to `{AuthorizationType, AuthParameters}` in CreateConnection's shape (API_KEY, BASIC, OAUTH_CLIENT_CREDENTIALS). Read and checked at start.",
    }),
    BATON_CONNECTIONS_FROM_EVENTBRIDGE: boolean({
      default: false, example: 'true',
      description: "Resolve connection ARNs the file does not list as AWS does: EventBridge DescribeConnection and the connection's Secrets Manager secret.",
    }),
  },
  build(v, parse, context: { fallbackRegion: string }): EnvInvokerOptions {
    const perService = parse.read(endpointVariables); // already parsed with the rest; typed by name here
    const endpoints: NonNullable<TaskInvokerOptions['endpoints']> = {};
    if (!v.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS) {
      if (v.AWS_ENDPOINT_URL) endpoints.default = v.AWS_ENDPOINT_URL;
      for (const service of ENDPOINT_SERVICES) {
        const value = perService[`AWS_ENDPOINT_URL_${SERVICE_ID[service]}`];
        if (value) endpoints[service] = value;
      }
      if (v.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS) endpoints.logs = v.AWS_ENDPOINT_URL_CLOUDWATCH_LOGS;
    }
    const connections = v.BATON_CONNECTIONS_FILE !== undefined ? readConnections(v.BATON_CONNECTIONS_FILE, parse) : undefined;
    return {
      region: v.AWS_REGION ?? v.AWS_DEFAULT_REGION ?? context.fallbackRegion,
      ...(Object.keys(endpoints).length > 0 ? { endpoints } : {}),
      ...(v.BATON_S3_FORCE_PATH_STYLE ? { s3ForcePathStyle: true } : {}),
      ...(connections !== undefined ? { connections } : {}),
      ...(v.BATON_CONNECTIONS_FROM_EVENTBRIDGE ? { connectionLookup: true } : {}),
    };
  },
});

/** The connections file, checked whole; a problem is reported against BATON_CONNECTIONS_FILE. */
function readConnections(path: string, parse: { report(name: string, message: string): void }): EnvInvokerOptions['connections'] {
  const problem = (message: string) => {
    parse.report('BATON_CONNECTIONS_FILE', message);
    return undefined;
  };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return problem(`names a file that cannot be read ('${path}': ${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return problem(`names a file that is not valid JSON ('${path}')`);
  }
  try {
    return parseConnections(json, `BATON_CONNECTIONS_FILE ${path}`);
  } catch (e) {
    if (e instanceof ConnectionDefinitionError) return problem(`names a file with an invalid connection: ${e.message}`);
    throw e;
  }
}
