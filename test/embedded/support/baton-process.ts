/**
 * `baton server` as `npm start` runs it, in a child process: no DATABASE_URL or REDIS_URL (the embedded default),
 * the given BATON_DATA_DIR and PORT. Needs the build (`npm test` runs `tsc -b` first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(ROOT, 'apps/cli/bin/baton.js');
export const BUILT = existsSync(join(ROOT, 'apps/cli/dist/roles.js'));

export interface BatonProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
  stdout(): string;
  stderr(): string;
}

const children: ChildProcess[] = [];

export function startBaton(port: number, dataDir: string): BatonProcess {
  const child = spawn(process.execPath, [BIN, 'server'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', BATON_DATA_DIR: dataDir, PORT: String(port) },
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

/** SIGKILLs every server these tests started that is still running. */
export function killAll(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

export async function listening(server: BatonProcess, url: string): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (server.stdout().includes(`Baton is listening on ${url}`)) return;
    if (server.child.exitCode !== null) break;
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
