/**
 * The one configuration schema of Baton: which fragments (each declared by the app or part that owns it) every
 * role reads, parsed together at boot so that a role reports every problem of every fragment at once. The
 * README's configuration reference and `baton <role> --help` are generated from the same table.
 */
import { apiEnv, arnScopeEnv, type ApiConfig } from '@baton/api';
import { EnvParse, buildFragment, fileVariant, renderReference, type Env, type Variables } from '@baton/config';
import { timerEnv, type TimerConfig } from '@baton/timer';
import { workerEnv, type WorkerConfig } from '@baton/worker';
import { awsEnv, type EnvInvokerOptions } from './aws-env.js';
import { engineEnv, storeEnv, type BackendConfig, type StoreConfig } from './env.js';
import { observabilityEnv, type ObservabilityConfig } from './observability-env.js';
import { telemetryEnv, type TelemetryConfig } from './telemetry.js';

export const ROLES = ['server', 'api', 'worker', 'timer', 'migrate'] as const;
export type Role = (typeof ROLES)[number];
export type ServingRole = Exclude<Role, 'migrate'>;

export interface RoleConfig {
  backend: BackendConfig;
  invoker: EnvInvokerOptions;
  telemetry: TelemetryConfig;
  observability: ObservabilityConfig;
  api?: ApiConfig;
  worker?: WorkerConfig;
  timer?: TimerConfig;
}

export interface MigrateConfig {
  backend: { store: StoreConfig };
}

/** What each role reads. `parseRoleConfig` builds exactly these (a test holds the two together). */
const ROLE_FRAGMENTS: Record<Role, readonly { variables: Variables }[]> = {
  server: [storeEnv, engineEnv, apiEnv, workerEnv, timerEnv, awsEnv, telemetryEnv, observabilityEnv],
  api: [storeEnv, engineEnv, apiEnv, awsEnv, telemetryEnv, observabilityEnv],
  worker: [storeEnv, engineEnv, workerEnv, awsEnv, telemetryEnv, observabilityEnv],
  timer: [storeEnv, engineEnv, timerEnv, awsEnv, telemetryEnv, observabilityEnv],
  migrate: [storeEnv],
};

/** The reference's sections, in order; a variable is listed under the first section that has it. */
const SECTIONS = [storeEnv, arnScopeEnv, apiEnv, engineEnv, workerEnv, timerEnv, awsEnv, telemetryEnv, observabilityEnv];

/** Every variable a role reads, by name. */
export function roleVariables(role: Role): Variables {
  return Object.assign({}, ...ROLE_FRAGMENTS[role].map((f) => f.variables)) as Variables;
}

export function parseRoleConfig(role: 'migrate', env: Env): MigrateConfig;
export function parseRoleConfig(role: ServingRole, env: Env): RoleConfig;
export function parseRoleConfig(role: Role, env: Env): RoleConfig | MigrateConfig;
/** Every variable the role reads, parsed up front; throws a `ConfigError` listing every problem. */
export function parseRoleConfig(role: Role, env: Env): RoleConfig | MigrateConfig {
  const parse = new EnvParse(env);
  const config = readRole(parse, role);
  parse.done();
  return config;
}

/** Builds the role's fragments in `parse` (exported for the test that checks it reads what ROLE_FRAGMENTS says). */
export function readRole(parse: EnvParse, role: Role): RoleConfig | MigrateConfig {
  const needs = role === 'server' ? 'single-process' : role === 'migrate' ? 'database-only' : 'shared';
  const store = buildFragment(parse, storeEnv, needs);
  if (role === 'migrate') return { backend: { store } };
  const backend = buildFragment(parse, engineEnv, { needs, store });
  const config: RoleConfig = {
    backend,
    invoker: buildFragment(parse, awsEnv, { fallbackRegion: backend.region }),
    telemetry: buildFragment(parse, telemetryEnv, undefined),
    observability: buildFragment(parse, observabilityEnv, undefined),
  };
  // The embedded default is developer mode: authentication off unless access keys are given, loopback only.
  const developerModeByDefault = role === 'server' && store.kind === 'embedded';
  if (role === 'api' || role === 'server') config.api = buildFragment(parse, apiEnv, { developerModeByDefault });
  if (role === 'worker' || role === 'server') config.worker = buildFragment(parse, workerEnv, undefined);
  if (role === 'timer' || role === 'server') config.timer = buildFragment(parse, timerEnv, undefined);
  return config;
}

/** The roles that read a variable, in ROLES order. */
export function rolesReading(name: string): Role[] {
  return ROLES.filter((role) => name in roleVariables(role));
}

/** The Markdown configuration reference (README.md's "Configuration" section). */
export function configReference(): string {
  return renderReference(SECTIONS, rolesReading);
}

/**
 * `BATON_*` variables in the environment that no role reads (a misspelling, or a setting from another version):
 * named at start rather than silently ignored.
 */
export function unknownSettings(env: Env): string[] {
  const known = new Set<string>();
  for (const role of ROLES) {
    for (const [name, variable] of Object.entries(roleVariables(role))) {
      known.add(name);
      if (variable.secret) known.add(fileVariant(name));
    }
  }
  return Object.keys(env).filter((name) => /^BATON_/.test(name) && !name.startsWith('BATON_TEST_') && !known.has(name)).sort();
}
