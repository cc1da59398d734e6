/** Which environment names the deploy files may set: those the configuration schema declares. */
import { fileVariant } from '@baton/config';
import { ROLES, roleVariables } from '../../../apps/cli/src/role-config.js';

/** Set by the deploy files for work that declares it later (none now: BATON_PROBE_PORT is declared). */
export const PENDING_VARIABLES: string[] = [];

export function knownEnvironmentName(name: string): boolean {
  return ROLES.some((role) =>
    Object.entries(roleVariables(role)).some(([declared, v]) => declared === name || (v.secret && fileVariant(declared) === name)),
  );
}
