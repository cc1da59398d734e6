/** Runs the built `baton` command in a child process, with only the environment given (plus PATH). */
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

export const BIN = resolve(__dirname, '../../bin/baton.js');

export interface BatonRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** True when the process was still running at `timeoutMs` and was killed. */
  timedOut: boolean;
}

export function baton(args: string[], env: Record<string, string> = {}, timeoutMs = 30_000): Promise<BatonRun> {
  return new Promise((done) => {
    const child = execFile(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: timeoutMs, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      const timedOut = error !== null && (error as { killed?: boolean }).killed === true;
      done({ code: child.exitCode, stdout, stderr, timedOut });
    });
  });
}

/** A port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}
