/**
 * Field value checks shared by every state type, with AWS's SCHEMA_VALIDATION_FAILED wording: JSON types
 * ("Expected value of type [STRING]"), integer ranges ("Minimum value is 0", "Maximum value is 99999999"),
 * enumerations ("Value should be one of the following: [NONE, FULL]"), required fields
 * ("These fields are required: [Resource]") and mutually exclusive fields
 * ("There should only be one of the following fields: [Error, ErrorPath]").
 * Each check reports at most one problem and returns whether the value passed.
 */
import { isJsonObject, type Json, type JsonObject } from '../json.js';
import { at, type Report } from './diagnostics.js';
import { message } from './messages.js';

export function checkString(report: Report, value: Json | undefined, location: string): value is string {
  if (typeof value === 'string') return true;
  report.schema(message.type('STRING'), location);
  return false;
}

export function checkBoolean(report: Report, value: Json | undefined, location: string): value is boolean {
  if (typeof value === 'boolean') return true;
  report.schema(message.type('BOOLEAN'), location);
  return false;
}

export function checkObject(report: Report, value: Json | undefined, location: string): value is JsonObject {
  if (isJsonObject(value)) return true;
  report.schema(message.type('OBJECT'), location);
  return false;
}

export function checkArray(report: Report, value: Json | undefined, location: string): value is Json[] {
  if (Array.isArray(value)) return true;
  report.schema(message.type('ARRAY'), location);
  return false;
}

export interface Range {
  readonly min?: number;
  readonly max?: number;
  /** How AWS prints the bounds of a decimal field ("Minimum value is 1.0"). */
  readonly decimal?: boolean;
}

function bound(n: number, decimal: boolean | undefined): string {
  return decimal && Number.isInteger(n) ? n.toFixed(1) : String(n);
}

function checkRange(report: Report, value: number, location: string, range: Range): boolean {
  if (range.min !== undefined && value < range.min) {
    report.schema(message.minimum(bound(range.min, range.decimal)), location);
    return false;
  }
  if (range.max !== undefined && value > range.max) {
    report.schema(message.maximum(bound(range.max, range.decimal)), location);
    return false;
  }
  return true;
}

export function checkInteger(report: Report, value: Json | undefined, location: string, range: Range = {}): value is number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    report.schema(message.type('INTEGER'), location);
    return false;
  }
  return checkRange(report, value, location, range);
}

export function checkNumber(report: Report, value: Json | undefined, location: string, range: Range = {}): value is number {
  if (typeof value !== 'number') {
    report.schema(message.type('NUMBER'), location);
    return false;
  }
  return checkRange(report, value, location, { ...range, decimal: true });
}

export function checkEnum(report: Report, value: Json | undefined, location: string, allowed: readonly string[]): boolean {
  if (!checkString(report, value, location)) return false;
  if (allowed.includes(value)) return true;
  report.schema(message.oneOfValues(allowed), location);
  return false;
}

/** Reports the missing ones of `fields` in one diagnostic at the object. */
export function checkRequired(report: Report, object: JsonObject, location: string, fields: readonly string[]): boolean {
  const missing = fields.filter((f) => !(f in object));
  if (missing.length === 0) return true;
  report.schema(message.required(missing), location);
  return false;
}

/** Fields of `object` outside `allowed` are "not supported", reported at the object. */
export function checkAllowedFields(report: Report, object: JsonObject, location: string, allowed: ReadonlySet<string>): void {
  for (const field of Object.keys(object)) {
    if (!allowed.has(field)) report.schema(message.notSupported(field), location);
  }
}

/** At most one of `fields` may be present; the problem is reported at the first one. */
export function checkAtMostOne(report: Report, object: JsonObject, location: string, fields: readonly string[]): boolean {
  const present = fields.filter((f) => f in object);
  if (present.length <= 1) return true;
  report.schema(message.onlyOneOf(fields), at(location, present[0]!));
  return false;
}
