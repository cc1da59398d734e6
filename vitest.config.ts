import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Tests import workspace packages from their TypeScript sources, so a test never runs against a stale build.
const root = fileURLToPath(new URL('.', import.meta.url));
const alias = readdirSync(new URL('./packages', import.meta.url)).map((name) => ({
  find: new RegExp(`^@baton/${name}$`),
  replacement: `${root}packages/${name}/src/index.ts`,
}));

export default defineConfig({
  resolve: { alias },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Test files run side by side, at least two at once: most of a file's time is spent waiting (on the processes it
    // starts, Postgres, Redis, timers), and each file has a database and a Redis key prefix of its own
    // (test/support/database.ts). Vitest's default, one fewer than the CPUs, runs them one at a time on a 2-core
    // machine. There, on 6 Dec 2026, the tests took 414 s two at a time and 460 s three at a time; one at a time, CI's
    // whole `npm test` (with the build and lint) took 782 s on Node 20.
    maxWorkers: Math.max(2, availableParallelism() - 1),
    // expect.poll waits for something to happen (a page updating, an execution advancing): on a loaded machine that
    // can take longer than the 1 s default. A poll still ends as soon as its condition holds.
    expect: { poll: { timeout: 10_000 } },
  },
});
