/**
 * The built `baton` command in a child process, as a user runs it, and a scratch folder for its input files.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const bin = resolve(__dirname, '../../bin/baton.js');
const run = promisify(execFile);

export async function baton(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args]);
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

/** Writes files into a fresh temporary folder: `file(name, value)` returns the path (objects are written as JSON). */
export function scratch(prefix: string): (name: string, value: unknown) => string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return (name, value) => {
    const p = join(dir, name);
    writeFileSync(p, typeof value === 'string' ? value : JSON.stringify(value));
    return p;
  };
}
