/**
 * Child processes of a run: the real `baton` roles (`node apps/cli/bin/baton.js worker|timer|api`) and the
 * bench's own helper scripts. Each waits until it says it is ready; all are killed by pid when the run ends.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Compiled to bench/dist/src/common/: the repository is four levels up.
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
export const batonBin = `${repoRoot}apps/cli/bin/baton.js`;

export interface Child {
  name: string;
  proc: ChildProcess;
  /** Everything the child wrote on stderr (kept short: the last 64 KiB). */
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children = new Set<Child>();

export function spawnChild(name: string, args: string[], env: Record<string, string>, options: { stdout?: 'pipe' | 'ignore' } = {}): Child {
  const proc = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['pipe', options.stdout ?? 'ignore', 'pipe'],
  });
  let err = '';
  proc.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    if (err.length > 65_536) err = err.slice(-65_536);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const child: Child = { name, proc, stderr: () => err, exited };
  children.add(child);
  void exited.then(() => children.delete(child));
  return child;
}

/** Starts `baton <role>` and resolves once it logs that it started (or listens, for the API). */
/** `nodeArgs` go before the script (e.g. `--require` a test hook). */
export async function spawnRole(role: 'worker' | 'timer' | 'api', name: string, env: Record<string, string>, nodeArgs: string[] = []): Promise<Child & { url?: string }> {
  const child: Child & { url?: string } = spawnChild(name, [...nodeArgs, batonBin, role], env);
  // The process log is one JSON object per line, its keys in any order: the API's listening line carries its URL.
  const ready = role === 'api' ? /^(?=.*"message":"listening")(?=.*"url":"([^"]+)")/m : /"message":"started"/;
  await waitForOutput(child, ready, 30_000).then((m) => {
    if (role === 'api') child.url = m[1];
  });
  return child;
}

export async function waitForOutput(child: Child, re: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  const end = Date.now() + timeoutMs;
  let exited = false;
  void child.exited.then(() => (exited = true));
  for (;;) {
    const m = re.exec(child.stderr());
    if (m) return m;
    if (exited) throw new Error(`${child.name} exited before it was ready:\n${child.stderr()}`);
    if (Date.now() > end) throw new Error(`${child.name} not ready after ${timeoutMs} ms:\n${child.stderr()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function stopChild(child: Child, signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 15_000): Promise<void> {
  if (child.proc.exitCode !== null || child.proc.signalCode !== null) return;
  child.proc.kill(signal);
  const t = setTimeout(() => child.proc.kill('SIGKILL'), timeoutMs);
  await child.exited;
  clearTimeout(t);
}

/** Kills every child still running (SIGKILL, by pid): the last resort of a run that failed. */
export function killAllChildren(): void {
  for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
}

const TICKS_PER_SECOND = 100;

/**
 * CPU time (user + system, ms) and resident memory (bytes) of a process and every process under it, from /proc
 * (Linux): a role's evaluation processes (BATON_EVALUATION_ISOLATION=process) are part of its cost. Children that
 * have exited count through their parent's cutime/cstime.
 */
export function processUsage(pid: number): { cpuMs: number; rssBytes: number } | undefined {
  const root = statOf(pid);
  if (!root) return undefined;
  let ticks = root.ticks + root.childTicks;
  let rssBytes = root.rssBytes;
  for (const child of descendantsOf(pid)) {
    const u = statOf(child);
    if (!u) continue;
    ticks += u.ticks + u.childTicks;
    rssBytes += u.rssBytes;
  }
  return { cpuMs: (ticks * 1000) / TICKS_PER_SECOND, rssBytes };
}

function statOf(pid: number): { ppid: number; ticks: number; childTicks: number; rssBytes: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return {
      ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]), childTicks: Number(f[13]) + Number(f[14]),
      rssBytes: rss ? Number(rss[1]) * 1024 : 0,
    };
  } catch {
    return undefined; // gone meanwhile
  }
}

function descendantsOf(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const u = statOf(Number(name));
    if (!u) continue;
    const list = children.get(u.ppid) ?? [];
    list.push(Number(name));
    children.set(u.ppid, list);
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const c of children.get(p) ?? []) {
      out.push(c);
      walk(c);
    }
  };
  walk(pid);
  return out;
}

/** CPU time (ms) of the whole machine (every CPU, idle and iowait excluded) and of the Postgres and Redis servers. */
export interface MachineCpu {
  totalMs: number;
  postgresMs: number;
  redisMs: number;
  benchMs: number;
}

export function machineCpu(): MachineCpu {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: everything but idle (3) and iowait (4).
  const busyTicks = line.slice(0, 8).reduce((a, v, i) => (i === 3 || i === 4 ? a : a + v), 0);
  let postgres = 0, redis = 0;
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(f[11]) + Number(f[12]);
    if (comm === 'postgres') postgres += ticks;
    else if (comm.startsWith('redis-server')) redis += ticks;
  }
  const own = process.cpuUsage();
  return {
    totalMs: (busyTicks * 1000) / TICKS_PER_SECOND, postgresMs: (postgres * 1000) / TICKS_PER_SECOND, redisMs: (redis * 1000) / TICKS_PER_SECOND,
    benchMs: (own.user + own.system) / 1000,
  };
}

export function cpuSince(a: MachineCpu): MachineCpu {
  const b = machineCpu();
  return { totalMs: b.totalMs - a.totalMs, postgresMs: b.postgresMs - a.postgresMs, redisMs: b.redisMs - a.redisMs, benchMs: b.benchMs - a.benchMs };
}
