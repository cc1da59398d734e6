/**
 * Every job kind, defined once with its payload schema. Jobs carry ids only: the state lives in Postgres, so a
 * job delivered twice, late, or never (the reconciler re-enqueues) changes nothing by itself.
 */

export interface JobPayloads {
  /** Consume the pending signals of one execution in one step. */
  transition: { executionId: string };
  /** Claim and invoke one scheduled task. */
  task: { executionId: string; taskId: string };
  /** Drive one Map Run of a Distributed Map (its driver creates children and counts their outcomes). */
  mapRun: { mapRunId: string };
}

export type JobKind = keyof JobPayloads;
export type Job = { [K in JobKind]: { kind: K } & JobPayloads[K] }[JobKind];

const SCHEMAS: { [K in JobKind]: readonly (keyof JobPayloads[K])[] } = {
  transition: ['executionId'],
  task: ['executionId', 'taskId'],
  mapRun: ['mapRunId'],
};

export const JOB_KINDS = Object.keys(SCHEMAS) as JobKind[];

export class InvalidJobError extends Error {}

/** Validates a job read back from the queue: known kind, every member a non-empty string. */
export function parseJob(kind: string, data: unknown): Job {
  if (!(kind in SCHEMAS)) throw new InvalidJobError(`unknown job kind '${kind}'`);
  const fields = SCHEMAS[kind as JobKind] as readonly string[];
  if (typeof data !== 'object' || data === null) throw new InvalidJobError(`job '${kind}': payload is not an object`);
  const out: Record<string, string> = { kind };
  for (const f of fields) {
    const v = (data as Record<string, unknown>)[f];
    if (typeof v !== 'string' || v.length === 0) throw new InvalidJobError(`job '${kind}': '${f}' must be a non-empty string`);
    out[f] = v;
  }
  return out as unknown as Job;
}

/** The payload stored in the queue (the kind travels as the job name). */
export function jobPayload(job: Job): Record<string, string> {
  const { kind: _kind, ...rest } = job;
  return rest as Record<string, string>;
}
