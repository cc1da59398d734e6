/** `baton server` as a child process on the embedded default, for the tests of test/embedded (needs the build). */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as S from '@aws-sdk/client-sfn';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const BIN = join(ROOT, 'apps/cli/bin/baton.js');
export const BUILT = existsSync(join(ROOT, 'apps/cli/dist/roles.js'));
export const ROLE = 'arn:aws:iam::123456789012:role/demo';

export interface Server {
  child: ChildProcess;
  exited: Promise<number | null>;
  stdout(): string;
  stderr(): string;
}

const children: ChildProcess[] = [];

/** `extraEnv` adds variables; `nodeArgs` go before the script (e.g. `--require` a test hook). */
export function startServer(dataDir: string, port: number, extraEnv: Record<string, string> = {}, nodeArgs: string[] = []): Server {
  const child = spawn(process.execPath, [...nodeArgs, BIN, 'server'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', BATON_DATA_DIR: dataDir, PORT: String(port), ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, stdout: () => out, stderr: () => err };
}

export function killServers(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

export async function listening(server: Server, url: string): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (server.stdout().includes(`Baton is listening on ${url}`)) return;
    if (server.child.exitCode !== null || server.child.signalCode !== null) break;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`the server did not start:\n${server.stdout()}\n${server.stderr()}`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export async function until<T>(fn: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 600; i++) {
    const v = await fn();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export const client = (url: string) =>
  // No host prefix: StartSyncExecution's `sync-` prefix would name a host that does not resolve.
  new S.SFNClient({ endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'any', secretAccessKey: 'any' }, maxAttempts: 1, disableHostPrefix: true });

export const types = async (sfn: S.SFNClient, executionArn: string) =>
  (await sfn.send(new S.GetExecutionHistoryCommand({ executionArn }))).events!.map((e) => e.type);
