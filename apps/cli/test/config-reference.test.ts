/** README.md's configuration reference is generated from the declarations and must not go stale. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BEGIN, END, withCurrentReference } from '../src/readme-reference.js';
import { ROLES, roleVariables } from '../src/role-config.js';

const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');

describe("README.md's configuration reference", () => {
  it('is the one the declarations generate (run `npm run docs:config` after changing a variable)', () => {
    expect(readme === withCurrentReference(readme), 'README.md is stale: run `npm run docs:config`').toBe(true);
  });

  it('lists every variable of every role, with the roles that read it', () => {
    const reference = readme.slice(readme.indexOf(BEGIN), readme.indexOf(END));
    for (const role of ROLES) {
      for (const name of Object.keys(roleVariables(role))) {
        const row = reference.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
        expect(row, name).toBeDefined();
        expect(row!.split('|')[2], name).toContain(role);
      }
    }
  });

  it('still opens with its two commands', () => {
    expect(readme.split('\n').slice(0, 6)).toEqual([
      '# Baton',
      '',
      '```sh',
      expect.stringMatching(/^npm ci && npm start\s+# /),
      expect.stringMatching(/^npm ci && npm test\s+# /),
      '```',
    ]);
  });
});
