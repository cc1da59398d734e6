/** What `baton server` prints once it listens: where it is, what it runs on, and a command to try. */
import type { ApiConfig } from '@baton/api';
import type { BackendConfig } from './env.js';

export function serverBanner(url: string, backend: BackendConfig, api: ApiConfig, consoleBuilt = true): string {
  const store = backend.store.kind === 'embedded' ? `embedded PGlite in ${backend.store.dataDir}` : 'Postgres (DATABASE_URL)';
  const queue = backend.queue.kind === 'bullmq' ? 'BullMQ (REDIS_URL)' : 'in-process queue';
  const auth = api.auth.mode === 'off' ? 'authentication off (developer mode, loopback only)' : 'SigV4 (BATON_ACCESS_KEYS)';
  // With authentication off the CLI needs no credentials at all.
  const unsigned = api.auth.mode === 'off' ? ' --no-sign-request' : '';
  const signIn = api.auth.mode === 'off' ? '' : api.apiKeys.length > 0 ? ' (sign in with one of BATON_API_KEYS)' : ' (set BATON_API_KEYS to sign in)';
  const consoleLine = consoleBuilt
    ? `Console: ${url}/console/${signIn}`
    : 'Console: not built (run `npm run build -w @baton/console`)';
  return [
    `Baton is listening on ${url}`,
    `  ${store}, ${queue}, ${auth}`,
    '',
    consoleLine,
    '',
    'Try it:',
    `  aws stepfunctions --endpoint-url ${url} --region ${api.arnScope.region}${unsigned} list-state-machines`,
    '',
    'Stop with Ctrl-C; executions are kept' + (backend.store.kind === 'embedded' ? ` in ${backend.store.dataDir}.` : ' in Postgres.'),
    '',
  ].join('\n');
}
