/**
 * The API's configuration, read from the environment once at boot. Errors name the variable and never echo a
 * secret.
 *   BATON_API_HOST       bind address (default 0.0.0.0; 127.0.0.1 in developer mode)
 *   BATON_API_PORT       port (default: PORT, else 8080)
 *   BATON_ACCESS_KEYS    SigV4 access keys, `id:secret,id:secret` (required unless BATON_DEV_MODE=true)
 *   BATON_API_KEYS       bearer keys of the REST surface, comma-separated (optional)
 *   BATON_DEV_MODE       `true`: embedded developer mode; without access keys, authentication is off and the
 *                        API only binds to loopback
 *   BATON_MAX_BODY_BYTES request body limit (default 1 MiB)
 *   BATON_REGION (else AWS_REGION), BATON_ACCOUNT, BATON_PARTITION   the ARN scope (us-east-1, 123456789012, aws)
 *                        (the same variables the engine roles read)
 */
import { DEFAULT_ARN_SCOPE, type ArnScope } from '@baton/api-contract';
import { parseAccessKeys } from './auth/access-keys.js';
import { DEFAULT_MAX_BODY_BYTES } from './http/body.js';
import { parseApiKeys } from './rest/bearer.js';
import type { ApiAuth } from './server.js';

export interface ApiConfig {
  host: string;
  port: number;
  auth: ApiAuth;
  apiKeys: string[];
  developerMode: boolean;
  maxBodyBytes: number;
  arnScope: ArnScope;
}

export function parseApiEnv(env: Record<string, string | undefined>): ApiConfig {
  const developerMode = bool(env, 'BATON_DEV_MODE', false);
  const keysText = env.BATON_ACCESS_KEYS?.trim();
  let auth: ApiAuth;
  if (keysText) {
    try {
      auth = { mode: 'sigv4', accessKeys: parseAccessKeys(keysText) };
    } catch (e) {
      throw new Error(`BATON_ACCESS_KEYS: ${(e as Error).message}`);
    }
    if (auth.accessKeys.size === 0) throw new Error('BATON_ACCESS_KEYS: no access key given');
  } else if (developerMode) {
    auth = { mode: 'off' };
  } else {
    throw new Error(
      'BATON_ACCESS_KEYS is required: comma-separated id:secret pairs the AWS SDKs sign with ' +
        '(authentication can only be off in developer mode, BATON_DEV_MODE=true, bound to loopback)',
    );
  }
  let apiKeys: string[];
  try {
    apiKeys = parseApiKeys(env.BATON_API_KEYS ?? '');
  } catch (e) {
    throw new Error(`BATON_API_KEYS: ${(e as Error).message}`);
  }
  const host = env.BATON_API_HOST?.trim() || (auth.mode === 'off' ? '127.0.0.1' : '0.0.0.0');
  return {
    host,
    port: int(env, env.BATON_API_PORT ? 'BATON_API_PORT' : 'PORT', 8080, 0, 65535),
    auth,
    apiKeys,
    developerMode,
    maxBodyBytes: int(env, 'BATON_MAX_BODY_BYTES', DEFAULT_MAX_BODY_BYTES, 1024, 64 * 1024 * 1024),
    arnScope: {
      partition: env.BATON_PARTITION?.trim() || DEFAULT_ARN_SCOPE.partition,
      region: env.BATON_REGION?.trim() || env.AWS_REGION?.trim() || DEFAULT_ARN_SCOPE.region,
      account: account(env.BATON_ACCOUNT),
    },
  };
}

function account(value: string | undefined): string {
  const v = value?.trim();
  if (!v) return DEFAULT_ARN_SCOPE.account;
  if (!/^\d{12}$/.test(v)) throw new Error(`BATON_ACCOUNT must be 12 digits, got '${v}'`);
  return v;
}

function bool(env: Record<string, string | undefined>, name: string, fallback: boolean): boolean {
  const v = env[name]?.trim().toLowerCase();
  if (v === undefined || v === '') return fallback;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new Error(`${name} must be true or false, got '${v}'`);
}

function int(env: Record<string, string | undefined>, name: string, fallback: number, min: number, max: number): number {
  const v = env[name]?.trim();
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${name} must be an integer from ${min} to ${max}, got '${v}'`);
  return n;
}
