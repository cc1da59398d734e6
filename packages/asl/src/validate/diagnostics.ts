/**
 * The diagnostics of ValidateStateMachineDefinition (AWS API reference, "ValidateStateMachineDefinitionDiagnostic"):
 * severity ERROR or WARNING, a code such as SCHEMA_VALIDATION_FAILED, a message, and a location when there is one.
 * Locations are written as AWS writes them: `/` is the definition, fields follow as `/States/<name>/<field>`,
 * array items as `<field>[<index>]` (e.g. `/States/T/Catch[0]/Next`), names verbatim (no escaping).
 */

export interface Diagnostic {
  severity: 'ERROR' | 'WARNING';
  /** 'SCHEMA_VALIDATION_FAILED', 'INVALID_JSON_DESCRIPTION', 'MISSING_TRANSITION_TARGET', ... (AWS's codes) */
  code: string;
  /** AWS's wording. */
  message: string;
  /** Where in the definition: '/States/Check/Next'. Absent when AWS gives none. */
  location?: string;
}

export const SCHEMA = 'SCHEMA_VALIDATION_FAILED';

/** Collects diagnostics in the order they are found. */
export class Report {
  readonly diagnostics: Diagnostic[] = [];

  error(code: string, message: string, location?: string): void {
    this.diagnostics.push(location === undefined ? { severity: 'ERROR', code, message } : { severity: 'ERROR', code, message, location });
  }

  warning(code: string, message: string, location?: string): void {
    this.diagnostics.push(location === undefined ? { severity: 'WARNING', code, message } : { severity: 'WARNING', code, message, location });
  }

  /** A SCHEMA_VALIDATION_FAILED error. */
  schema(message: string, location: string): void {
    this.error(SCHEMA, message, location);
  }
}

/** The location of field `key` of the object at `base`. */
export function at(base: string, key: string): string {
  return base === '/' ? `/${key}` : `${base}/${key}`;
}

/** The location of item `index` of the array at `base`. */
export function item(base: string, index: number): string {
  return `${base}[${index}]`;
}
