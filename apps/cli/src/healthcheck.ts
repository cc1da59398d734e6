/**
 * `baton healthcheck [role]`, the image's HEALTHCHECK: for `api` and `server`, GET /healthz on the API's port;
 * for `worker` and `timer`, GET /healthz on their probe port when BATON_PROBE_PORT is set, else their Postgres
 * and Redis answer (the checks a role runs before it starts). Without a role argument, the role is the
 * container's main process's (`/proc/1/cmdline`).
 */
import { readFileSync } from 'node:fs';
import { ConfigError, type Env } from '@baton/config';
import { checkServices, StartupError } from './preflight.js';
import { parseRoleConfig, ROLES, type Role } from './role-config.js';

const PROBE_TIMEOUT_MS = 4_000;

export async function healthcheck(roleArg: string | undefined, env: Env): Promise<number> {
  const role = roleArg ?? mainProcessRole() ?? 'server';
  if (!isRole(role)) {
    process.stderr.write(`baton healthcheck: unknown role '${role}' (${ROLES.join(', ')})\n`);
    return 2;
  }
  try {
    if (role === 'migrate') return 0; // a one-shot job: its exit status is its health
    const config = parseRoleConfig(role, env);
    const served = config.api ?? config.observability.probe;
    if (served) {
      const host = ['0.0.0.0', '::', ''].includes(served.host) ? '127.0.0.1' : served.host;
      const url = `http://${host.includes(':') ? `[${host}]` : host}:${served.port}/healthz`;
      const res = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
      if (!res.ok) throw new StartupError(`${url} answered ${res.status}`);
    } else {
      await checkServices(config.backend);
    }
    return 0;
  } catch (e) {
    const known = e instanceof ConfigError || e instanceof StartupError;
    process.stderr.write(`baton healthcheck ${role}: unhealthy: ${known ? e.message : String((e as Error).cause ?? e)}\n`);
    return 1;
  }
}

function isRole(name: string): name is Role {
  return (ROLES as readonly string[]).includes(name);
}

/** The role named on the command line of process 1 (`node apps/cli/bin/baton.js worker`), when there is one. */
function mainProcessRole(): Role | undefined {
  try {
    const args = readFileSync('/proc/1/cmdline', 'utf8').split('\0');
    return args.find(isRole);
  } catch {
    return undefined;
  }
}
