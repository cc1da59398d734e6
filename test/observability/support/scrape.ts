/**
 * Scrapes a running Baton's /metrics and reads it with a real Prometheus text-format parser
 * (parse-prometheus-text-format). That parser folds the series of a labelled histogram into one (it groups
 * buckets by `le` alone), so histograms are read as summaries (`# TYPE ... summary`, their `_bucket` lines left
 * out), which keeps each series' labels, `_count` and `_sum`; their type is checked from the unmodified text.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import parsePrometheusTextFormat, { type Family } from 'parse-prometheus-text-format';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const BIN = `${ROOT}apps/cli/bin/baton.js`;

export interface Scrape {
  text: string;
  families: Map<string, Family>;
  /** The families whose TYPE line says histogram. */
  histograms: Set<string>;
}

export async function scrape(url: string, headers: Record<string, string> = {}): Promise<Scrape> {
  const res = await fetch(url, { headers });
  if (res.status !== 200) throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  const text = await res.text();
  const histograms = new Set([...text.matchAll(/^# TYPE (\S+) histogram$/gm)].map((m) => m[1]!));
  const asSummaries = text.replace(/^(# TYPE \S+) histogram$/gm, '$1 summary')
    .split('\n').filter((l) => !(/^(\w+)_bucket[{ ]/.test(l) && histograms.has(/^(\w+)_bucket/.exec(l)![1]!))).join('\n');
  const families = new Map(parsePrometheusTextFormat(asSummaries).map((f) => [f.name, f]));
  return { text, families, histograms };
}

/** The sum of a counter's or gauge's series whose labels include `labels`, over several scrapes (processes). */
export function value(scrapes: readonly Scrape[], name: string, labels: Record<string, string> = {}): number | undefined {
  let total: number | undefined;
  for (const s of scrapes) {
    for (const m of s.families.get(name)?.metrics ?? []) {
      if (Object.entries(labels).every(([k, v]) => m.labels?.[k] === v)) total = (total ?? 0) + Number(m.value);
    }
  }
  return total;
}

/** A histogram's observation count over its series matching `labels`. */
export function histogramCount(scrapes: readonly Scrape[], name: string, labels: Record<string, string> = {}): number | undefined {
  let total: number | undefined;
  for (const s of scrapes) {
    for (const m of s.families.get(name)?.metrics ?? []) {
      if (m.count !== undefined && Object.entries(labels).every(([k, v]) => m.labels?.[k] === v)) total = (total ?? 0) + Number(m.count);
    }
  }
  return total;
}

export interface Role {
  child: ChildProcess;
  exited: Promise<number | null>;
  stderr(): string;
  /** Parsed JSON log lines so far. */
  lines(): Record<string, unknown>[];
  /** Waits for a log line with this message and returns it. */
  line(message: string): Promise<Record<string, unknown>>;
  stop(): Promise<number | null>;
}

export function startRole(role: string, env: Record<string, string>): Role {
  const child = spawn(process.execPath, [BIN, role], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stdout!.resume();
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const lines = () => err.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  return {
    child, exited, stderr: () => err, lines,
    async line(message) {
      for (let i = 0; i < 1200; i++) {
        const found = lines().find((l) => l.message === message);
        if (found) return found;
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`baton ${role}: no '${message}' line:\n${err}`);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
