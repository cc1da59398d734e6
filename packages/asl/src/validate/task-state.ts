/**
 * Task state (AWS developer guide, "Task workflow state"): a required Resource the service recognises, Credentials
 * with a RoleArn ("The field 'RoleArn' is required but was missing" at the Credentials object), TimeoutSeconds and
 * HeartbeatSeconds (positive integers up to 99999999, or their reference-path twins; HeartbeatSeconds must be
 * below TimeoutSeconds), Retry and Catch; an HTTP Task's literal request fields (http-task.ts).
 */
import type { JsonObject } from '../json.js';
import { at } from './diagnostics.js';
import type { QueryLanguage, ValidationContext } from './context.js';
import { checkJsonataValue } from './jsonata-check.js';
import { checkPayloadTemplate } from './paths.js';
import { checkResource } from './resource.js';
import { checkHttpTask, HTTP_INVOKE } from './http-task.js';
import { checkCatch, checkRetry } from './retry-catch.js';
import { message } from './messages.js';
import { checkObject, checkRequired, checkString } from './value-checks.js';
import { checkNumericPair } from './numeric-fields.js';

const SECONDS = { min: 1, max: 99999999 } as const;

function checkCredentials(ctx: ValidationContext, state: JsonObject, location: string, language: QueryLanguage): void {
  const loc = at(location, 'Credentials');
  const credentials = state.Credentials;
  if (!checkObject(ctx.report, credentials, loc)) return;
  const hasRole = 'RoleArn' in credentials || (language === 'JSONPath' && 'RoleArn.$' in credentials);
  if (!hasRole) ctx.report.schema(message.requiredField('RoleArn'), loc);
  if (language === 'JSONPath') checkPayloadTemplate(ctx.report, credentials, loc);
  else checkJsonataValue(ctx.report, credentials, loc, { errorOutput: false });
}

export function checkTask(ctx: ValidationContext, state: JsonObject, location: string, language: QueryLanguage): void {
  const { report } = ctx;
  if (checkRequired(report, state, location, ['Resource'])) {
    const loc = at(location, 'Resource');
    if (checkString(report, state.Resource, loc)) {
      checkResource(report, state.Resource, loc, ctx.machineType);
      if (HTTP_INVOKE.test(state.Resource)) checkHttpTask(report, state, location, language);
    }
  }
  if ('Credentials' in state) checkCredentials(ctx, state, location, language);
  const timeout = checkNumericPair(ctx, state, location, language, { field: 'TimeoutSeconds', range: SECONDS });
  const heartbeat = checkNumericPair(ctx, state, location, language, { field: 'HeartbeatSeconds', range: SECONDS });
  if (timeout !== undefined && heartbeat !== undefined && heartbeat >= timeout) {
    report.schema('HeartbeatSeconds must be smaller than TimeoutSeconds', at(location, 'HeartbeatSeconds'));
  }
  if ('Retry' in state) checkRetry(ctx, state.Retry, at(location, 'Retry'));
  if ('Catch' in state) checkCatch(ctx, state.Catch, at(location, 'Catch'), language);
}
