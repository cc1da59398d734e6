/**
 * The `baton` command line as a user meets it (the built command in a child process): `--version`, help that
 * does nothing else, and clear refusals of what it does not know (exit 2).
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baton, closedPort } from './support/baton.js';

const version = (JSON.parse(readFileSync(join(__dirname, '../package.json'), 'utf8')) as { version: string }).version;

describe('baton --version and --help', () => {
  it('prints the version', async () => {
    for (const flag of ['--version', '-V']) {
      const r = await baton([flag]);
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe(version);
    }
  });

  it('`baton migrate --help` prints its help and applies nothing', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'baton-help-')), 'data');
    const r = await baton(['migrate', '--help'], { BATON_DATA_DIR: dataDir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: baton migrate');
    expect(r.stdout).not.toContain('schema is up to date');
    expect(existsSync(dataDir)).toBe(false);
  });

  it('`baton server --help` prints its help and starts nothing', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'baton-help-')), 'data');
    const r = await baton(['server', '--help'], { BATON_DATA_DIR: dataDir, PORT: String(await closedPort()) }, 20_000);
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: baton server');
    expect(r.stdout).not.toContain('listening');
    expect(existsSync(dataDir)).toBe(false);
  });

  it("lists each role's environment in its help, and only that role's", async () => {
    const worker = await baton(['worker', '--help']);
    expect(worker.stdout).toContain('BATON_WORKER_CONCURRENCY (default 16)');
    expect(worker.stdout).toContain('DATABASE_URL [or DATABASE_URL_FILE]');
    expect(worker.stdout).not.toContain('BATON_API_KEYS');
    const api = await baton(['help', 'api']);
    expect(api.code).toBe(0);
    expect(api.stdout).toContain('BATON_ACCESS_KEYS [or BATON_ACCESS_KEYS_FILE]');
    expect(api.stdout).not.toContain('BATON_TIMER_BATCH_SIZE');
  });

  it('`baton run --help` shows its options', async () => {
    const r = await baton(['run', '--help']);
    expect(r.code).toBe(0);
    for (const option of ['<definition>', '--input <json>', '--input-file <file>', '--mocks <file>']) expect(r.stdout).toContain(option);
  });
});

describe('what baton does not know', () => {
  it('refuses an unknown command, option or argument with exit 2 and says what', async () => {
    const cases: [string[], RegExp][] = [
      [['serve'], /unknown command 'serve'/],
      [['worker', '--concurrency', '3'], /unknown option '--concurrency'/],
      [['migrate', 'now'], /too many arguments for 'migrate'/],
      [['--verbose'], /unknown option '--verbose'/],
      [['run'], /missing required argument 'definition'/],
    ];
    for (const [args, message] of cases) {
      const r = await baton(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
  });

  it('refuses --input together with --input-file rather than ignoring one', async () => {
    const r = await baton(['run', 'x.json', '--input', '{}', '--input-file', 'in.json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--input <json>' cannot be used with option '--input-file/);
  });

  it('prints the usage with exit 2 when no command is given', async () => {
    const r = await baton([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('Usage: baton');
  });
});
