/**
 * deploy/kubernetes rendered with `kubectl kustomize` (Debian's kubernetes-client; .ci/run installs it) and
 * every object checked against the Kubernetes API schemas (kubernetes-models: required fields, types, enums,
 * formats), offline. Then what Baton needs of them: probes, replicas, the autoscaler's metric, secrets as files.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { knownEnvironmentName, PENDING_VARIABLES } from './support/known-variables.js';

const DIR = fileURLToPath(new URL('../../deploy/kubernetes', import.meta.url));

type K8sObject = { apiVersion: string; kind: string; metadata: { name: string }; [k: string]: any };
const MODELS: Record<string, new (o: any) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
};

const rendered = execFileSync('kubectl', ['kustomize', DIR], { encoding: 'utf8' });
const objects = parseAllDocuments(rendered).map((d) => d.toJS() as K8sObject);
const find = (kind: string, name: string) => objects.find((o) => o.kind === kind && o.metadata.name === name)!;
const container = (o: K8sObject) => o.spec.template.spec.containers[0];

describe('deploy/kubernetes', () => {
  it('renders with kustomize, and every object is valid against the Kubernetes schemas', () => {
    // The ConfigMap's name carries kustomize's content hash, so that pods roll when it changes.
    expect(objects.map((o) => `${o.kind}/${o.metadata.name.replace(/^(baton-config)-[a-z0-9]{10}$/, '$1')}`).sort()).toEqual([
      'ConfigMap/baton-config', 'Deployment/baton-api', 'Deployment/baton-timer', 'Deployment/baton-worker',
      'HorizontalPodAutoscaler/baton-worker', 'Job/baton-migrate',
      'PodDisruptionBudget/baton-api', 'PodDisruptionBudget/baton-timer', 'PodDisruptionBudget/baton-worker',
      'Service/baton-api', 'ServiceAccount/baton',
    ].sort());
    for (const o of objects) {
      const Model = MODELS[`${o.apiVersion}/${o.kind}`];
      expect(Model, `no schema checked for ${o.apiVersion} ${o.kind}`).toBeDefined();
      expect(() => new Model!(o).validate(), `${o.kind}/${o.metadata.name}`).not.toThrow();
    }
  });

  it('the schema check catches a broken object (so the check above can fail)', () => {
    const broken = structuredClone(find('Deployment', 'baton-api'));
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'eighty';
    expect(() => new Deployment(broken).validate()).toThrow(/containerPort must be integer/);
  });

  it('probes /healthz (liveness) and /readyz (readiness): the API on its port, worker and timer on BATON_PROBE_PORT', () => {
    for (const [name, port] of [['baton-api', 'http'], ['baton-worker', 'probe'], ['baton-timer', 'probe']] as const) {
      const c = container(find('Deployment', name));
      expect(c.livenessProbe.httpGet, name).toEqual({ path: '/healthz', port });
      expect(c.readinessProbe.httpGet, name).toEqual({ path: '/readyz', port });
      const declared = c.ports.find((p: { name: string }) => p.name === port);
      expect(declared, name).toBeDefined();
      const env = Object.fromEntries(c.env.map((e: { name: string; value: string }) => [e.name, e.value]));
      expect(Number(env[port === 'http' ? 'PORT' : 'BATON_PROBE_PORT']), name).toBe(declared.containerPort);
    }
    expect(find('Service', 'baton-api').spec.ports[0].targetPort).toBe('http');
  });

  it('runs two timers, autoscales workers on the queue backlog, and keeps disruption budgets', () => {
    expect(find('Deployment', 'baton-timer').spec.replicas).toBe(2);
    const hpa = find('HorizontalPodAutoscaler', 'baton-worker');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'baton-worker' });
    expect(hpa.spec.metrics[0].external.metric.name).toBe('baton_queue_backlog');
    expect(find('Deployment', 'baton-worker').spec.replicas).toBeUndefined(); // the autoscaler owns it
    for (const role of ['api', 'worker', 'timer']) {
      const pdb = find('PodDisruptionBudget', `baton-${role}`);
      expect(pdb.spec.selector.matchLabels).toEqual(find('Deployment', `baton-${role}`).spec.selector.matchLabels);
    }
    const job = find('Job', 'baton-migrate');
    expect(container(job).args).toEqual(['migrate']);
  });

  it('kills a pod only after BATON_SHUTDOWN_GRACE_MS and the 5 s that follow it (the drain on SIGTERM)', () => {
    for (const name of ['baton-api', 'baton-worker', 'baton-timer']) {
      const d = find('Deployment', name);
      const env = Object.fromEntries((container(d).env as { name: string; value: string }[]).map((e) => [e.name, e.value]));
      const configMap = objects.find((o) => o.kind === 'ConfigMap')!.data as Record<string, string>;
      const graceMs = Number(env.BATON_SHUTDOWN_GRACE_MS ?? configMap.BATON_SHUTDOWN_GRACE_MS ?? 25_000);
      expect(d.spec.template.spec.terminationGracePeriodSeconds * 1000, name).toBeGreaterThanOrEqual(graceMs + 5_000);
    }
  });

  it('sets the number of evaluation processes of the API and workers, and a memory limit that holds them at their heap budget', () => {
    // Measured (deploy/kubernetes/README.md, "Memory"): a role under load 150-190 MB; an evaluation process at a
    // 256 MB heap budget peaks at 300-340 MB resident.
    const ROLE_MIB = 256;
    const PROCESS_OVERHEAD_MIB = 100;
    const mib = (q: string) => {
      const m = /^(\d+)(Mi|Gi)$/.exec(q);
      expect(m, q).not.toBeNull();
      return Number(m![1]) * (m![2] === 'Gi' ? 1024 : 1);
    };
    for (const name of ['baton-api', 'baton-worker']) {
      const c = container(find('Deployment', name));
      const env = Object.fromEntries((c.env as { name: string; value: string }[]).map((e) => [e.name, e.value]));
      // Set: the default (min(4, CPUs)) would count the node's CPUs.
      expect(env.BATON_EVALUATION_THREADS, name).toMatch(/^[1-9]\d*$/);
      const processes = Number(env.BATON_EVALUATION_THREADS);
      const budget = Number(env.BATON_EVALUATION_MEMORY_MB ?? 256);
      expect(mib(c.resources.limits.memory), name).toBeGreaterThanOrEqual(ROLE_MIB + processes * (budget + PROCESS_OVERHEAD_MIB));
    }
  });

  it('takes secrets as files from the `baton` Secret (the *_FILE variants), never as plain values', () => {
    for (const o of objects.filter((x) => x.kind === 'Deployment' || x.kind === 'Job')) {
      const spec = o.spec.template.spec;
      const c = spec.containers[0];
      const mount = c.volumeMounts.find((m: { name: string }) => m.name === 'secrets');
      const volume = spec.volumes.find((v: { name: string }) => v.name === 'secrets');
      expect(volume.secret.secretName, o.metadata.name).toBe('baton');
      const files: string[] = volume.secret.items.map((i: { path: string }) => `${mount.mountPath}/${i.path}`);
      for (const e of c.env as { name: string; value?: string; valueFrom?: unknown }[]) {
        expect(e.name, o.metadata.name).not.toMatch(/^(DATABASE_URL|REDIS_URL|BATON_ACCESS_KEYS|BATON_API_KEYS|BATON_PAGINATION_KEY)$/);
        if (e.name.endsWith('_FILE')) expect(files, `${o.metadata.name} ${e.name}`).toContain(e.value);
      }
      expect(c.env.map((e: { name: string }) => e.name), o.metadata.name).toContain('DATABASE_URL_FILE');
      expect(c.securityContext.readOnlyRootFilesystem, o.metadata.name).toBe(true);
    }
  });

  it('sets only variables Baton declares (or the pending probe port), in the pods and the ConfigMap', () => {
    const names = new Set<string>(Object.keys(objects.find((o) => o.kind === 'ConfigMap')!.data));
    for (const o of objects.filter((x) => x.kind === 'Deployment' || x.kind === 'Job')) {
      for (const e of container(o).env as { name: string }[]) names.add(e.name);
    }
    const unknown = [...names].filter((n) => !knownEnvironmentName(n) && !PENDING_VARIABLES.includes(n));
    expect(unknown).toEqual([]);
  });
});
