/**
 * A Map Run's child executions as AWS names them: the state machine `<parent state machine>/<label>`, a UUID-form
 * name, and the ARN `arn:...:execution:<parent>/<label>:<name>` (EXPRESS children:
 * `arn:...:express:<parent>/<label>:<name>:<id>`). The name is derived from the Map Run and the child's index, so a
 * driver that crashed after reading items but before committing creates the very same children again.
 */
import { createHash } from 'node:crypto';
import { newExecution, type ChildInput } from '@baton/asl';
import type { NewChild } from './ports.js';
import type { MapRunSpec } from './commands.js';
import { childTraceContext } from '../observability/execution-spans.js';

function uuidFrom(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  // RFC 4122 layout (version 5-like: name-based), so the name looks like the ids AWS gives children.
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export interface ChildScope {
  mapRunArn: string;
  stateMachineArn: string;
  stateMachineRevision: number;
  spec: MapRunSpec;
}

export function newChild(scope: ChildScope, index: number, child: ChildInput, now: Date): NewChild {
  const name = uuidFrom(`${scope.mapRunArn}#${index}`);
  const [, partition, , region, account] = scope.stateMachineArn.split(':');
  const smName = scope.stateMachineArn.slice(scope.stateMachineArn.indexOf(':stateMachine:') + ':stateMachine:'.length);
  const prefix = `arn:${partition}:states:${region}:${account}`;
  const arn = scope.spec.executionType === 'EXPRESS'
    ? `${prefix}:express:${smName}:${name}:${uuidFrom(`${scope.mapRunArn}#${index}#express`)}`
    : `${prefix}:execution:${smName}:${name}`;
  const doc = newExecution({
    executionArn: arn, executionName: name, stateMachineArn: scope.stateMachineArn, stateMachineName: smName,
    roleArn: scope.spec.roleArn, startTime: now.toISOString(), ...(region ? { region } : {}), ...(partition ? { partition } : {}),
  }, child.input);
  return {
    execution: {
      arn, stateMachineArn: scope.stateMachineArn, stateMachineRevision: scope.stateMachineRevision, name, status: 'RUNNING',
      input: JSON.stringify(child.input), output: null, error: null, cause: null, startDate: now, stopDate: null, doc,
      // In the parent execution's trace, its root span as parent (a Map Run started before that was recorded: a
      // trace of its own). A Map Run of many children makes a large trace: sample with OTEL_TRACES_SAMPLER.
      ...childTraceContext(scope.spec.parentTrace),
    },
    start: { kind: 'start', input: child.input },
    index, firstItem: child.firstItem, itemCount: child.itemCount,
  };
}
