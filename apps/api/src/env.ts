/**
 * The API's settings, declared once: `arnScopeEnv` (the partition, region and account in every ARN, which the
 * engine roles share) and `apiEnv` (listening, authentication, limits). apps/cli parses them with every other
 * variable of the role at boot; `parseApiEnv` parses them alone. Messages name the variable and never echo a
 * secret. To add a setting: declare it in `variables` and map it in `build` (see apps/cli/README.md).
 */
import { boolean, custom, defineFragment, integer, parseFragment, text, z, type Env } from '@baton/config';
import { DEFAULT_ARN_SCOPE, type ArnScope } from '@baton/api-contract';
import { parseAccessKeys, type AccessKeys } from './auth/access-keys.js';
import { DEFAULT_MAX_BODY_BYTES } from './http/body.js';
import { parseApiKeys } from './rest/bearer.js';
import type { ApiAuth } from './server.js';

export interface ApiConfig {
  host: string;
  port: number;
  /** The variable the port came from, for messages ("port 8080 (PORT) is in use"). */
  portVariable: 'BATON_API_PORT' | 'PORT';
  auth: ApiAuth;
  apiKeys: string[];
  developerMode: boolean;
  maxBodyBytes: number;
  arnScope: ArnScope;
}

/** As long as the bearer keys' minimum: a short shared secret is guessable. */
export const MIN_SECRET_LENGTH = 16;

export const arnScopeEnv = defineFragment({
  title: 'Identity (ARNs)',
  variables: {
    BATON_REGION: text({
      pattern: /^[a-z0-9-]+$/, expects: 'a region name such as us-east-1', example: 'eu-west-1',
      defaultText: '`AWS_REGION`, else `us-east-1`',
      description: 'The region in every ARN Baton issues, and the default region of task integrations.',
    }),
    AWS_REGION: text({
      pattern: /^[a-z0-9-]+$/, expects: 'a region name such as us-east-1', example: 'eu-west-1',
      description: "The AWS SDK's region variable: the region of task integrations' AWS calls, and of ARNs unless `BATON_REGION` is set.",
    }),
    BATON_ACCOUNT: text({
      pattern: /^\d{12}$/, expects: '12 digits', default: DEFAULT_ARN_SCOPE.account, example: '111122223333',
      description: 'The account ID in every ARN Baton issues.',
    }),
    BATON_PARTITION: text({
      pattern: /^aws[a-z-]*$/, expects: 'an AWS partition such as aws or aws-cn', default: DEFAULT_ARN_SCOPE.partition, example: 'aws-cn',
      description: 'The partition in every ARN Baton issues.',
    }),
  },
  build: (v): ArnScope => ({
    partition: v.BATON_PARTITION,
    region: v.BATON_REGION ?? v.AWS_REGION ?? DEFAULT_ARN_SCOPE.region,
    account: v.BATON_ACCOUNT,
  }),
});

const accessKeys = custom<AccessKeys>(
  z.string().transform((value, ctx) => {
    let keys: AccessKeys;
    try {
      keys = parseAccessKeys(value);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: `is invalid: ${(e as Error).message}` });
      return z.NEVER;
    }
    if (keys.size === 0) ctx.addIssue({ code: 'custom', message: 'has no access key' });
    for (const [id, secret] of keys) {
      if (secret.length < MIN_SECRET_LENGTH) ctx.addIssue({ code: 'custom', message: `is invalid: the secret of access key '${id}' is shorter than ${MIN_SECRET_LENGTH} characters` });
    }
    return keys;
  }),
  {
    secret: true, expects: 'id:secret pairs', example: 'AKIDEXAMPLE:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    description: `Signature Version 4 access keys the AWS SDKs and CLI sign with: comma-separated \`id:secret\` pairs, secrets of at least ${MIN_SECRET_LENGTH} characters. Required, except in developer mode. Worker roles sign nested executions with the first pair.`,
  },
);

const apiKeys = custom<string[]>(
  z.string().transform((value, ctx) => {
    try {
      return parseApiKeys(value);
    } catch (e) {
      ctx.addIssue({ code: 'custom', message: `is invalid: ${(e as Error).message}` });
      return z.NEVER;
    }
  }),
  {
    secret: true, expects: 'comma-separated keys', example: 'f3c1a9e0b27d4c68a5e4d2b1c0ffee42',
    description: 'Bearer keys of the REST surface (`/v1/...`), comma-separated, each at least 16 characters. Unset: the REST surface is off.',
  },
);

export const apiEnv = defineFragment({
  title: 'API',
  variables: {
    ...arnScopeEnv.variables,
    PORT: integer({ min: 0, max: 65_535, default: 8080, example: '8080', description: 'The port the API listens on (the SFN API at `POST /`, REST under `/v1/`).' }),
    BATON_API_PORT: integer({ min: 0, max: 65_535, example: '9000', defaultText: '`PORT`', description: 'The API port, when it must differ from `PORT`.' }),
    BATON_API_HOST: text({
      example: '127.0.0.1', defaultText: '`0.0.0.0`; `127.0.0.1` with authentication off',
      description: 'The address the API binds to.',
    }),
    BATON_ACCESS_KEYS: accessKeys,
    BATON_API_KEYS: apiKeys,
    BATON_DEV_MODE: boolean({
      example: 'true', defaultText: '`false`; `true` for `baton server` on the embedded default',
      description: 'Developer mode: without access keys, authentication is off and the API binds to loopback only.',
    }),
    BATON_MAX_BODY_BYTES: integer({
      min: 1024, max: 64 * 1024 * 1024, default: DEFAULT_MAX_BODY_BYTES, example: '4194304',
      description: 'Largest request body the API reads (bytes); larger requests get 413.',
    }),
  },
  build(v, parse, context: { developerModeByDefault: boolean }): ApiConfig {
    const developerMode = v.BATON_DEV_MODE ?? context.developerModeByDefault;
    let auth: ApiAuth = { mode: 'off' };
    if (v.BATON_ACCESS_KEYS !== undefined) auth = { mode: 'sigv4', accessKeys: v.BATON_ACCESS_KEYS };
    else if (!developerMode && !parse.given('BATON_ACCESS_KEYS')) {
      parse.report(
        'BATON_ACCESS_KEYS',
        'is required: comma-separated id:secret pairs the AWS SDKs sign with (authentication can only be off in developer mode, BATON_DEV_MODE=true, bound to loopback)',
      );
    }
    const portVariable = v.BATON_API_PORT !== undefined ? 'BATON_API_PORT' : 'PORT';
    return {
      host: v.BATON_API_HOST ?? (auth.mode === 'off' ? '127.0.0.1' : '0.0.0.0'),
      port: v.BATON_API_PORT ?? v.PORT,
      portVariable,
      auth,
      apiKeys: v.BATON_API_KEYS ?? [],
      developerMode,
      maxBodyBytes: v.BATON_MAX_BODY_BYTES,
      arnScope: arnScopeEnv.build(v, parse, undefined),
    };
  },
});

/** The API's settings alone; throws a `ConfigError` listing every problem. */
export function parseApiEnv(env: Env, context = { developerModeByDefault: false }): ApiConfig {
  return parseFragment(apiEnv, env, context);
}
