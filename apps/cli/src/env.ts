/**
 * The environment of the engine roles (worker, timer, migrate, server), parsed once at boot. Every problem is
 * reported at once, by variable name, and the process exits before touching anything.
 */
export interface RoleConfig {
  databaseUrl: string;
  redisUrl: string;
  autoMigrate: boolean;
  region: string;
  account: string;
  queuePrefix: string;
  concurrency: number;
  taskLeaseMs: number;
  reconcileGraceMs: number;
  reconcileIntervalMs: number;
  paginationKey: string | undefined;
  workerId: string | undefined;
}

export class ConfigError extends Error {}

type Env = Readonly<Record<string, string | undefined>>;

export function parseRoleEnv(env: Env, needs: { redis: boolean }): RoleConfig {
  const problems: string[] = [];
  const url = (name: string, protocols: string[], required: boolean): string => {
    const v = env[name];
    if (!v) {
      if (required) problems.push(`${name} is required (e.g. ${protocols[0]}//host:port/...)`);
      return '';
    }
    try {
      const u = new URL(v);
      if (!protocols.includes(u.protocol)) problems.push(`${name} must start with ${protocols.join(' or ')} (got ${u.protocol})`);
    } catch {
      problems.push(`${name} is not a URL`);
    }
    return v;
  };
  const int = (name: string, fallback: number, min: number): number => {
    const v = env[name];
    if (v === undefined || v === '') return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) problems.push(`${name} must be an integer >= ${min} (got '${v}')`);
    return n;
  };
  const bool = (name: string, fallback: boolean): boolean => {
    const v = env[name];
    if (v === undefined || v === '') return fallback;
    if (v === 'true' || v === '1') return true;
    if (v === 'false' || v === '0') return false;
    problems.push(`${name} must be true or false (got '${v}')`);
    return fallback;
  };
  const account = env.BATON_ACCOUNT ?? '123456789012';
  if (!/^\d{12}$/.test(account)) problems.push(`BATON_ACCOUNT must be 12 digits (got '${account}')`);
  const config: RoleConfig = {
    databaseUrl: url('DATABASE_URL', ['postgres:', 'postgresql:'], true),
    redisUrl: url('REDIS_URL', ['redis:', 'rediss:'], needs.redis),
    autoMigrate: bool('BATON_AUTO_MIGRATE', true),
    region: env.BATON_REGION ?? env.AWS_REGION ?? 'us-east-1',
    account,
    queuePrefix: env.BATON_QUEUE_PREFIX ?? 'baton',
    concurrency: int('BATON_WORKER_CONCURRENCY', 16, 1),
    taskLeaseMs: int('BATON_TASK_LEASE_MS', 30_000, 100),
    reconcileGraceMs: int('BATON_RECONCILE_GRACE_MS', 5_000, 0),
    reconcileIntervalMs: int('BATON_RECONCILE_INTERVAL_MS', 2_000, 50),
    paginationKey: env.BATON_PAGINATION_KEY,
    workerId: env.BATON_WORKER_ID,
  };
  if (problems.length > 0) throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  return config;
}
