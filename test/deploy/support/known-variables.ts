/** Which environment names the deploy files may set: those the configuration schema declares. */
import { fileVariant } from '@baton/config';
import { ROLES, roleVariables } from '../../../apps/cli/src/role-config.js';

/**
 * Set by the deploy files for work that declares it later: the worker's and timer's probe endpoint (the
 * observability work). Until then a role names it in its "unknown setting" warning at start.
 */
export const PENDING_VARIABLES = ['BATON_PROBE_PORT'];

export function knownEnvironmentName(name: string): boolean {
  return ROLES.some((role) =>
    Object.entries(roleVariables(role)).some(([declared, v]) => declared === name || (v.secret && fileVariant(declared) === name)),
  );
}
