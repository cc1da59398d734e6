/**
 * The process logger's level and the probe port of the roles without the API (worker, timer): /healthz,
 * /readyz and /metrics on a small HTTP server of their own. The API roles (api, server) serve the same paths
 * on the API port.
 */
import { defineFragment, integer, oneOf, text } from '@baton/config';
import { LOG_LEVELS, type LogLevel } from '@baton/observability';

export interface ObservabilityConfig {
  logLevel: LogLevel;
  /** Where the probe server listens; undefined: no probe server. */
  probe: { port: number; host: string } | undefined;
}

export const observabilityEnv = defineFragment({
  title: 'Logs, metrics and probes',
  variables: {
    LOG_LEVEL: oneOf(LOG_LEVELS, {
      default: 'info', example: 'debug',
      description: 'The least severe process log entries written (JSON lines on stderr); `silent` writes none.',
    }),
    BATON_PROBE_PORT: integer({
      min: 0, max: 65_535, example: '9464',
      description: 'Worker and timer roles: serve `/healthz`, `/readyz` and `/metrics` (Prometheus) on this port. Unset: no probe server (the API roles serve them on the API port).',
    }),
    BATON_PROBE_HOST: text({ default: '0.0.0.0', example: '127.0.0.1', description: 'The address the probe server binds to.' }),
  },
  build: (v): ObservabilityConfig => ({
    logLevel: v.LOG_LEVEL,
    probe: v.BATON_PROBE_PORT !== undefined ? { port: v.BATON_PROBE_PORT, host: v.BATON_PROBE_HOST } : undefined,
  }),
});
