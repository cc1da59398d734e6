import { readdirSync } from 'node:fs';
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
    // expect.poll waits for something to happen (a page updating, an execution advancing): on a loaded machine that
    // can take longer than the 1 s default. A poll still ends as soon as its condition holds.
    expect: { poll: { timeout: 10_000 } },
  },
});
