/**
 * The README's StartSyncExecution examples, run as written against `npm start` (`baton server` on the embedded
 * default): its console block (the `sfn` shell function of the tour and Debian's AWS CLI v2, which has no switch
 * for the `sync-` host prefix and goes through `HTTP_PROXY`) and its `sync.mjs` (the JavaScript SDK with
 * `disableHostPrefix`). The blocks are read from README.md, so the README cannot drift from what works; only the
 * port is changed to a free one. Each command's output must be the README's.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILT, freePort, killServers, listening, ROOT, startServer } from './support/server.js';

const run = promisify(execFile);
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const DEBIAN_AWS = '/usr/bin/aws';
const work = mkdtempSync(join(tmpdir(), 'baton-readme-sync-'));
if (!BUILT) console.warn('readme-sync.test: skipped, the CLI is not built (run `npx tsc -b` or `npm test`)');
// The SDK example reads the state machine the CLI example creates: without the CLI (outside CI, whose .ci/run installs
// it), both are skipped.
const CLI = existsSync(DEBIAN_AWS);
if (!CLI) console.warn('readme-sync.test: the README examples are skipped, no /usr/bin/aws (apt-get install -y awscli)');

afterAll(() => {
  killServers();
  rmSync(work, { recursive: true, force: true });
});

/** The fenced blocks of a language, in order. */
function blocks(lang: string): string[] {
  return [...README.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!);
}

interface Step {
  command: string;
  output: string;
}

/** A console block's commands (`$ ` lines, with `\` continuations and here-documents) and the output each shows. */
function steps(block: string): Step[] {
  const lines = block.replace(/\n$/, '').split('\n');
  const out: Step[] = [];
  for (let i = 0; i < lines.length; ) {
    if (!lines[i]!.startsWith('$ ')) throw new Error(`not a command: ${lines[i]}`);
    const command = [lines[i]!.slice(2)];
    const heredoc = /<<'(\w+)'/.exec(command[0]!)?.[1];
    while (command.at(-1)!.endsWith('\\') || (heredoc && command.at(-1) !== heredoc)) command.push(lines[++i]!);
    const output: string[] = [];
    while (++i < lines.length && !lines[i]!.startsWith('$ ')) output.push(lines[i]!);
    out.push({ command: command.join('\n'), output: output.join('\n') });
  }
  return out;
}

describe.skipIf(!BUILT && process.env.CI !== 'true')('the README StartSyncExecution examples', () => {
  it.skipIf(!CLI && process.env.CI !== 'true')('work as written with the AWS CLI and the JavaScript SDK', { timeout: 120_000 }, async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const localize = (text: string) => text.replaceAll('127.0.0.1:8080', `127.0.0.1:${port}`);
    const server = startServer(join(work, 'data'), port);
    await listening(server, url);

    const sfnFunction = /^\$ (sfn\(\) \{.*\})$/m.exec(README)?.[1];
    expect(sfnFunction, 'the tour defines sfn()').toBeDefined();
    const cliBlock = blocks('console').find((b) => b.includes('start-sync-execution'));
    expect(cliBlock, 'a console block runs start-sync-execution').toBeDefined();
    expect(CLI, 'Debian\'s awscli at /usr/bin/aws (.ci/run installs it)').toBe(true);
    {
      // `aws` is Debian's CLI v2, as the README says; a home of its own so no configuration of this machine counts.
      const bin = join(work, 'bin');
      mkdirSync(bin, { recursive: true });
      if (!existsSync(join(bin, 'aws'))) symlinkSync(DEBIAN_AWS, join(bin, 'aws'));
      const env = {
        PATH: `${bin}:/usr/bin:/bin`, HOME: work, AWS_CONFIG_FILE: join(work, 'none'), AWS_SHARED_CREDENTIALS_FILE: join(work, 'none'),
        AWS_EC2_METADATA_DISABLED: 'true', AWS_PAGER: '',
      };
      for (const step of steps(cliBlock!)) {
        const { stdout } = await run('bash', ['-c', `${localize(sfnFunction!)}\n${localize(step.command)}`], { cwd: work, env, timeout: 60_000 });
        expect(stdout.replace(/\n$/, ''), step.command).toBe(step.output);
      }
    }

    const script = blocks('js').find((b) => b.startsWith('// sync.mjs'));
    expect(script, 'a js block is sync.mjs').toBeDefined();
    const expected = steps(blocks('console').find((b) => b.startsWith('$ node sync.mjs'))!)[0]!.output;
    // Under node_modules/ (ignored by git) so that the script's import of @aws-sdk/client-sfn resolves as it would.
    const dir = join(ROOT, 'node_modules/.cache/baton-readme-test');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `sync-${port}.mjs`);
    writeFileSync(file, localize(script!));
    try {
      const { stdout } = await run(process.execPath, [file], { cwd: work, timeout: 60_000 });
      expect(stdout.replace(/\n$/, '')).toBe(expected);
    } finally {
      rmSync(file, { force: true });
    }
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  });
});
