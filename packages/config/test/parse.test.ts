import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { boolean, ConfigError, custom, decimal, defineFragment, EnvParse, integer, oneOf, parseFragment, renderReference, text, url } from '../src/index.js';

const vars = {
  COUNT: integer({ min: 1, max: 10, default: 4, description: 'How many.', example: '8' }),
  RATIO: decimal({ min: 0, description: 'A ratio.', example: '0.5' }),
  FLAG: boolean({ default: false, description: 'A flag.', example: 'true' }),
  DB: url({ protocols: ['postgres:', 'postgresql:'], secret: true, description: 'The database.', example: 'postgres://h/db' }),
  KEY: text({ secret: true, minLength: 16, description: 'A key.', example: 'x'.repeat(16) }),
  LEVEL: oneOf(['debug', 'info'] as const, { default: 'info', description: 'Level.', example: 'debug' }),
};

function problems(env: Record<string, string>): string[] {
  const parse = new EnvParse(env);
  parse.read(vars);
  return parse.problems;
}

describe('EnvParse', () => {
  it('types the values and applies defaults; empty counts as unset', () => {
    const parse = new EnvParse({ COUNT: ' 7 ', RATIO: '1.5', FLAG: 'TRUE', DB: 'postgresql://u@h/db', LEVEL: '' });
    const v = parse.read(vars);
    expect(v).toEqual({ COUNT: 7, RATIO: 1.5, FLAG: true, DB: 'postgresql://u@h/db', KEY: undefined, LEVEL: 'info' });
    parse.done();
    expect(new EnvParse({}).read(vars)).toMatchObject({ COUNT: 4, FLAG: false, LEVEL: 'info' });
  });

  it('lists every problem at once, each naming its variable', () => {
    const p = problems({ COUNT: '11', RATIO: 'half', FLAG: 'yes', DB: 'mysql://h/db', LEVEL: 'loud' });
    expect(p).toEqual([
      "COUNT must be an integer from 1 to 10 (got '11')",
      "RATIO must be a number >= 0 (got 'half')",
      "FLAG must be true or false (got 'yes')",
      'DB must start with postgres: or postgresql: (got mysql:)',
      "LEVEL must be one of debug, info (got 'loud')",
    ]);
    const parse = new EnvParse({ COUNT: 'x', FLAG: 'maybe' });
    parse.read(vars);
    expect(() => parse.done()).toThrow(ConfigError);
    expect(() => parse.done()).toThrow(/invalid configuration:\n {2}COUNT must be[^\n]*\n {2}FLAG must be/);
  });

  it('never echoes a secret', () => {
    const p = problems({ KEY: 'short-SECRET', DB: 'not a url p4ssw0rd' });
    expect(p).toEqual(['DB must be a URL starting with postgres: or postgresql:', 'KEY must be at least 16 characters']);
    expect(p.join()).not.toMatch(/SECRET|p4ssw0rd/);
  });

  it('reads a secret from <NAME>_FILE, trimmed, and refuses both, an unreadable file and an empty one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'baton-config-'));
    writeFileSync(join(dir, 'key'), 'k'.repeat(20) + '\n');
    writeFileSync(join(dir, 'empty'), '\n');
    const parse = new EnvParse({ KEY_FILE: join(dir, 'key') });
    expect(parse.read(vars).KEY).toBe('k'.repeat(20));
    expect(parse.given('KEY')).toBe(true);
    expect(problems({ KEY: 'k'.repeat(20), KEY_FILE: join(dir, 'key') })).toEqual(['KEY and KEY_FILE are both set: set one of them']);
    expect(problems({ KEY_FILE: join(dir, 'missing') })).toEqual([`KEY_FILE names a file that cannot be read ('${join(dir, 'missing')}': ENOENT)`]);
    expect(problems({ KEY_FILE: join(dir, 'empty') })).toEqual([`KEY_FILE names an empty file ('${join(dir, 'empty')}')`]);
    // Only secrets have a file variant.
    expect(new EnvParse({ COUNT_FILE: join(dir, 'key') }).read(vars).COUNT).toBe(4);
  });

  it('uses the custom messages of a custom schema', () => {
    const list = custom<string[]>(
      z.string().transform((s, ctx) => {
        const parts = s.split(',');
        if (parts.some((p) => p === '')) ctx.addIssue({ code: 'custom', message: 'has an empty entry' });
        return parts;
      }),
      { expects: 'a list', description: 'A list.', example: 'a,b' },
    );
    const parse = new EnvParse({ LIST: 'a,,b' });
    parse.read({ LIST: list });
    expect(parse.problems).toEqual(['LIST has an empty entry']);
  });

  it('parses a variable shared by two fragments once, and refuses two declarations of one name', () => {
    const parse = new EnvParse({ COUNT: 'x' });
    parse.read({ COUNT: vars.COUNT });
    parse.read({ COUNT: vars.COUNT });
    expect(parse.problems).toHaveLength(1);
    expect(() => parse.read({ COUNT: integer({ min: 0, description: 'd', example: '1' }) })).toThrow(/COUNT is declared twice/);
  });
});

describe('fragments and the reference', () => {
  const fragment = defineFragment({
    title: 'Things',
    variables: { COUNT: vars.COUNT, KEY: vars.KEY },
    build(v, parse, context: { needKey: boolean }) {
      if (context.needKey && !parse.given('KEY')) parse.report('KEY', 'is required');
      return { count: v.COUNT, key: v.KEY };
    },
  });

  it('builds a typed configuration and reports cross-variable problems with the others', () => {
    expect(parseFragment(fragment, { COUNT: '2' }, { needKey: false })).toEqual({ count: 2, key: undefined });
    expect(() => parseFragment(fragment, { COUNT: '0' }, { needKey: true })).toThrow(/COUNT must be[\s\S]*KEY is required/);
  });

  it('renders a Markdown table with roles, defaults, examples and file variants', () => {
    const md = renderReference([{ title: 'Things', variables: fragment.variables }], (name) => (name === 'KEY' ? ['api'] : ['api', 'worker']));
    expect(md).toBe([
      '### Things',
      '',
      '| Variable | Roles | Default | Description |',
      '| --- | --- | --- | --- |',
      '| `COUNT` | api, worker | `4` | How many. Example: `8`. |',
      '| `KEY` | api |  | A key. Example: `xxxxxxxxxxxxxxxx`. Secret: may be given as a file path in `KEY_FILE`. |',
      '',
    ].join('\n'));
  });
});
