/**
 * docker-compose.yml (parsed; no Docker engine here to run it): a healthcheck for every role, no default
 * pagination key, nested executions pointed at the API, and only variables Baton declares.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { knownEnvironmentName } from './support/known-variables.js';

type Service = { image?: string; stop_grace_period?: string; command?: string[]; environment?: Record<string, string>; healthcheck?: { test?: string[]; disable?: boolean } };
const compose = parse(readFileSync(fileURLToPath(new URL('../../docker-compose.yml', import.meta.url)), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
};
const roles = Object.entries(compose.services).filter(([, s]) => s.image === 'baton:local');

describe('docker-compose.yml', () => {
  it('runs migrate, api, worker and timer from the image, each with a healthcheck of its role', () => {
    expect(roles.map(([name]) => name).sort()).toEqual(['api', 'migrate', 'timer', 'worker']);
    for (const [name, service] of roles) {
      const role = service.command?.[0];
      expect(role, name).toBe(name);
      if (role === 'migrate') expect(service.healthcheck?.disable, 'a one-shot job: its exit status is its health').toBe(true);
      else expect(service.healthcheck?.test, name).toEqual(['CMD', 'node', 'apps/cli/bin/baton.js', 'healthcheck', role]);
    }
    for (const name of ['postgres', 'redis']) expect(compose.services[name]!.healthcheck?.test, name).toBeDefined();
  });

  it('sets no default pagination key, and points nested executions at the API with a key', () => {
    for (const [name, service] of roles) {
      expect(service.environment, name).not.toHaveProperty('BATON_PAGINATION_KEY');
      expect(service.environment?.BATON_SELF_URL, name).toBe('http://api:8080');
      expect(service.environment, name).toHaveProperty('BATON_ACCESS_KEYS');
    }
  });

  it('stops a role only after BATON_SHUTDOWN_GRACE_MS and the 5 s that follow it (the drain on SIGTERM)', () => {
    for (const [name, service] of roles) {
      const stopGrace = /^(\d+)s$/.exec(service.stop_grace_period ?? '10s')![1]!;
      const graceMs = Number(service.environment?.BATON_SHUTDOWN_GRACE_MS ?? 25_000);
      expect(Number(stopGrace) * 1000, name).toBeGreaterThanOrEqual(graceMs + 5_000);
    }
  });

  it('sets only variables Baton declares', () => {
    const names = new Set(roles.flatMap(([, s]) => Object.keys(s.environment ?? {})));
    expect([...names].filter((n) => !knownEnvironmentName(n))).toEqual([]);
  });
});
