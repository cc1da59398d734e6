#!/usr/bin/env node
// `npm test`: build (the console too: its browser tests use the bundle), type-check the tests, lint, then run the whole suite.
import { spawnSync } from 'node:child_process';

const steps = [
  ['build', 'npx', ['tsc', '-b']],
  ['build the console', 'npm', ['run', 'build', '-w', '@baton/console']],
  ['typecheck tests', 'npx', ['tsc', '-p', 'tsconfig.test.json']],
  ['lint', 'npx', ['eslint', '.']],
  ['tests', 'npx', ['vitest', 'run', ...process.argv.slice(2)]],
];
for (const [name, cmd, args] of steps) {
  console.log(`\n== ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`\n== ${name} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}
