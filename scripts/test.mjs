#!/usr/bin/env node
// `npm test`: find Postgres and Redis (or start them with testcontainers, see test-services.mjs), then build
// (the console too: its browser tests use the bundle), type-check the tests, lint, and run the whole suite.
import { spawnSync } from 'node:child_process';
import { provideTestServices, TestServicesError } from './test-services.mjs';

let services;
try {
  services = await provideTestServices();
} catch (e) {
  if (!(e instanceof TestServicesError)) throw e;
  console.error(`\n== ${e.message}`);
  process.exit(1);
}
for (const [service, plan] of Object.entries(services.plan)) {
  console.log(`== ${service}: ${plan.kind === 'url' ? `from ${plan.from}` : 'in a container (testcontainers)'}`);
}

const env = { ...process.env, ...services.env };
const steps = [
  ['build', 'npx', ['tsc', '-b']],
  ['build the console', 'npm', ['run', 'build', '-w', '@baton/console']],
  ['typecheck tests', 'npx', ['tsc', '-p', 'tsconfig.test.json']],
  ['lint', 'npx', ['eslint', '.']],
  ['tests', 'npx', ['vitest', 'run', ...process.argv.slice(2)]],
];
let status = 0;
for (const [name, cmd, args] of steps) {
  console.log(`\n== ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env });
  if (r.status !== 0) {
    console.error(`\n== ${name} failed (exit ${r.status ?? r.signal})`);
    status = r.status || 1;
    break;
  }
}
await services.stop();
process.exit(status);
