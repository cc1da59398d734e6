/**
 * One process at a time per data folder: PGlite has no postmaster to refuse a second process, and two of them
 * writing the same files would corrupt it. The lock is a file holding the owner's pid; a lock left by a process
 * that no longer exists (killed) is taken over.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';

export class DataDirectoryInUseError extends Error {}

/** Lock files this process holds (a second store on the same folder in one process is refused too). */
const held = new Set<string>();

export function lockDirectory(lockFile: string): () => void {
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      held.add(lockFile);
      return () => {
        if (!held.delete(lockFile)) return;
        if (ownerOf(lockFile) === process.pid) unlinkSync(lockFile);
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw e;
      const owner = ownerOf(lockFile);
      const mine = owner === process.pid && held.has(lockFile);
      if (mine || (owner !== undefined && owner !== process.pid && isAlive(owner))) {
        throw new DataDirectoryInUseError(`the data folder is in use by process ${owner} (${lockFile})`);
      }
      unlinkSync(lockFile); // stale: its process is gone (or was an earlier process with our pid)
    }
  }
}

function ownerOf(lockFile: string): number | undefined {
  try {
    const pid = Number(readFileSync(lockFile, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
