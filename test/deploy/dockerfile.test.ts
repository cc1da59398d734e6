/**
 * deploy/Dockerfile's structure, parsed (dockerfile-ast); there is no Docker engine here to build it, so what is
 * checked is the file: the pinned Node 24 base, the dependency layer before the sources, a runtime stage with
 * compiled output and production dependencies only, no VOLUME, a HEALTHCHECK.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DockerfileParser, type Instruction } from 'dockerfile-ast';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const dockerfile = DockerfileParser.parse(readFileSync(join(ROOT, 'deploy/Dockerfile'), 'utf8'));
const instructions = dockerfile.getInstructions();
const workspaces = ['packages', 'apps'].flatMap((dir) => readdirSync(join(ROOT, dir)).map((name) => `${dir}/${name}`));

/** The instructions of each stage, by its name (`FROM ... AS name`). */
function stages(): Map<string, Instruction[]> {
  const out = new Map<string, Instruction[]>();
  let current: Instruction[] | undefined;
  for (const i of instructions) {
    if (i.getKeyword() === 'FROM') {
      const args = i.getArguments().map((a) => a.getValue());
      current = [];
      out.set(args[2] ?? args[0]!, current);
    }
    current?.push(i);
  }
  return out;
}
const args = (i: Instruction) => i.getArguments().map((a) => a.getValue());
const flags = (i: Instruction) => ('getFlags' in i ? (i as unknown as { getFlags(): { getName(): string; getValue(): string | null }[] }).getFlags() : []);

describe('deploy/Dockerfile', () => {
  it('builds on Node 24 LTS pinned by digest, the Node .ci/run also tests on', () => {
    const arg = instructions.find((i) => i.getKeyword() === 'ARG' && args(i)[0]?.startsWith('NODE_IMAGE='));
    const image = args(arg!)[0]!.slice('NODE_IMAGE='.length);
    expect(image).toMatch(/^node:24\.\d+\.\d+-bookworm-slim@sha256:[0-9a-f]{64}$/);
    for (const from of dockerfile.getFROMs()) expect(['${NODE_IMAGE}', 'manifests']).toContain(args(from)[0]);
    // .ci/run takes the version from here, and package.json's engines must allow it and the machine's Node 20.
    const version = /^node:(24\.\d+\.\d+)-/.exec(image)![1]!;
    expect(readFileSync(join(ROOT, '.ci/lib.sh'), 'utf8')).toContain('deploy/Dockerfile');
    const engines = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    expect(semver.satisfies(version, engines), engines).toBe(true);
    expect(semver.satisfies('20.19.0', engines), engines).toBe(true);
  });

  it("installs dependencies from the manifests alone (every workspace's package.json), before any source", () => {
    const manifests = stages().get('manifests')!;
    const copied = manifests.filter((i) => i.getKeyword() === 'COPY').flatMap((i) => args(i).slice(0, -1));
    expect(copied.sort()).toEqual(['package.json', 'package-lock.json', ...workspaces.map((w) => `${w}/package.json`)].sort());
    const build = stages().get('build')!;
    const install = build.findIndex((i) => i.getKeyword() === 'RUN' && /npm ci/.test(i.getArgumentsContent() ?? ''));
    const firstSource = build.findIndex((i) => i.getKeyword() === 'COPY');
    expect(install).toBeGreaterThan(0);
    expect(firstSource).toBeGreaterThan(install);
  });

  it('ships compiled dist/ and production dependencies only: no sources, no tests, no dev dependencies', () => {
    const runtime = stages().get('runtime')!;
    const copies = runtime.filter((i) => i.getKeyword() === 'COPY');
    const sources = copies.flatMap((i) => args(i).slice(0, -1).map((src) => ({ src, from: flags(i).find((f) => f.getName() === 'from')?.getValue() })));
    for (const { src, from } of sources) {
      expect(src, src).not.toMatch(/(^|\/)(src|test|tests)(\/|$)|^\.$|^\/app\/?$/);
      if (src.endsWith('node_modules')) expect(from, src).toBe('prod-deps');
    }
    for (const w of workspaces) {
      expect(sources.map((s) => s.src), w).toContain(`/app/${w}/dist`);
      expect(sources.map((s) => s.src), w).toContain(`/app/${w}/package.json`);
    }
    const prod = stages().get('prod-deps')!.find((i) => i.getKeyword() === 'RUN')!;
    expect(prod.getArgumentsContent()).toMatch(/npm ci --omit=dev/);
  });

  it('declares no VOLUME (the roles keep their state in Postgres), runs as non-root, and has a HEALTHCHECK', () => {
    expect(instructions.filter((i) => i.getKeyword() === 'VOLUME')).toEqual([]);
    const runtime = stages().get('runtime')!;
    expect(runtime.find((i) => i.getKeyword() === 'USER')?.getArgumentsContent()).toBe('node');
    const health = runtime.find((i) => i.getKeyword() === 'HEALTHCHECK');
    expect(health?.getArgumentsContent()).toContain('"healthcheck"');
  });
});
