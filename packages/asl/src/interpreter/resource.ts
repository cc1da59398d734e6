/**
 * Task Resource ARNs: which event family a Task produces and how it is invoked (AWS: "Service integration
 * patterns"): `arn:aws:states:::svc:action` (request-response), `.sync`, `.sync:2`, `.waitForTaskToken`;
 * activity ARNs (`arn:aws:states:region:account:activity:name`); legacy Lambda function ARNs.
 */
import type { ResourceFamily, TaskPattern } from './types.js';

export interface ParsedResource {
  readonly family: ResourceFamily;
  readonly pattern: TaskPattern;
  /** `resourceType` in Task* history events, e.g. `lambda`, `aws-sdk:dynamodb`. */
  readonly resourceType: string;
  /** `resource` in Task* history events, e.g. `invoke.waitForTaskToken`. */
  readonly resource: string;
  readonly region: string | undefined;
}

const ACTIVITY = /^arn:[\w-]+:states:([\w-]+):\d{12}:activity:.+$/;
const LAMBDA_FUNCTION = /^arn:[\w-]+:lambda:([\w-]+):\d{12}:function:.+$/;
const SERVICE = /^arn:[\w-]+:states:([\w-]*):(\d{12})?:(.+)$/;

export function parseResource(arn: string): ParsedResource {
  let m = ACTIVITY.exec(arn);
  if (m) return { family: 'activity', pattern: 'request-response', resourceType: 'activity', resource: arn, region: m[1] };
  m = LAMBDA_FUNCTION.exec(arn);
  if (m) return { family: 'lambda', pattern: 'request-response', resourceType: 'lambda', resource: arn, region: m[1] };
  m = SERVICE.exec(arn);
  if (m) {
    const rest = m[3]!;
    let pattern: TaskPattern = 'request-response';
    let body = rest;
    for (const [suffix, p] of [['.sync:2', 'sync:2'], ['.sync', 'sync'], ['.waitForTaskToken', 'waitForTaskToken']] as const) {
      if (body.endsWith(suffix)) {
        pattern = p;
        body = body.slice(0, -suffix.length);
        break;
      }
    }
    const parts = body.split(':');
    const action = parts.pop() ?? '';
    const resourceType = parts.join(':');
    const suffix = pattern === 'request-response' ? '' : `.${pattern}`;
    return { family: 'service', pattern, resourceType, resource: `${action}${suffix}`, region: m[1] || undefined };
  }
  return { family: 'service', pattern: 'request-response', resourceType: 'unknown', resource: arn, region: undefined };
}
