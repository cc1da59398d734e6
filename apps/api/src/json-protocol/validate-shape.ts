/**
 * Checks a request against its shape as AWS's JSON services do:
 * - a value of the wrong JSON type is a `SerializationException` (the request cannot be read at all);
 * - constraint violations are collected, all of them, into one `ValidationException`:
 *   "2 validation errors detected: Value null at 'stateMachineArn' failed to satisfy constraint: Member must
 *   not be null; Value '1001' at 'maxResults' failed to satisfy constraint: Member must have value less than or
 *   equal to 1000". Nested members are addressed `tags.1.member.key` (list positions count from 1).
 * Members not in the shape are dropped from the result; JSON `null` counts as absent.
 * Strings must be well-formed Unicode: a lone surrogate (from a JSON escape like `\ud800`) has no UTF-8 form and
 * would reach Postgres as U+FFFD, silently changed. A name member answers `InvalidName` as AWS does for a bad
 * name; any other member is a ValidationException.
 */
import { ApiError, isWellFormedUnicode } from '@baton/api-contract';
import type { ShapeSpec, StructureSpec } from './shape-spec.js';

export function validateRequest(body: unknown, shape: StructureSpec): Record<string, unknown> {
  const problems: string[] = [];
  const value = readStructure(body, shape, '', problems);
  if (problems.length > 0) {
    const n = problems.length;
    throw new ApiError(
      'ValidationException',
      `${n} validation error${n === 1 ? '' : 's'} detected: ${problems.join('; ')}`,
    );
  }
  return value;
}

function readStructure(
  value: unknown,
  shape: StructureSpec,
  path: string,
  problems: string[],
): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw serialization(path, 'a structure');
  }
  const input = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [member, spec] of Object.entries(shape.members)) {
    const memberPath = path === '' ? member : `${path}.${member}`;
    const v = input[member];
    if (v === undefined || v === null) {
      if (shape.required?.includes(member)) {
        problems.push(`Value null at '${memberPath}' failed to satisfy constraint: Member must not be null`);
      }
      continue;
    }
    out[member] = readValue(v, spec, memberPath, problems);
  }
  return out;
}

function readValue(value: unknown, spec: ShapeSpec, path: string, problems: string[]): unknown {
  switch (spec.kind) {
    case 'structure':
      return readStructure(value, spec, path, problems);
    case 'list': {
      if (!Array.isArray(value)) throw serialization(path, 'a list');
      if (spec.max !== undefined && value.length > spec.max) {
        problems.push(`Value '${quoted(value, spec)}' at '${path}' failed to satisfy constraint: Member must have length less than or equal to ${spec.max}`);
      }
      if (spec.min !== undefined && value.length < spec.min) {
        problems.push(`Value '${quoted(value, spec)}' at '${path}' failed to satisfy constraint: Member must have length greater than or equal to ${spec.min}`);
      }
      return value.map((item, i) => {
        const itemPath = `${path}.${i + 1}.member`;
        if (item === null || item === undefined) {
          problems.push(`Value null at '${itemPath}' failed to satisfy constraint: Member must not be null`);
          return item;
        }
        return readValue(item, spec.member, itemPath, problems);
      });
    }
    case 'boolean':
      if (typeof value !== 'boolean') throw serialization(path, 'a boolean');
      return value;
    case 'double':
    case 'integer':
      if (typeof value !== 'number' || (spec.kind === 'integer' && !Number.isInteger(value))) {
        throw serialization(path, spec.kind === 'integer' ? 'an integer' : 'a number');
      }
      check(spec.max !== undefined && value > spec.max, `value less than or equal to ${spec.max}`);
      check(spec.min !== undefined && value < spec.min, `value greater than or equal to ${spec.min}`);
      return value;
    case 'string': {
      if (typeof value !== 'string') throw serialization(path, 'a string');
      const before = problems.length;
      check(spec.min !== undefined && value.length < spec.min, `length greater than or equal to ${spec.min}`);
      check(spec.max !== undefined && value.length > spec.max, `length less than or equal to ${spec.max}`);
      if (spec.enum && !spec.enum.includes(value)) {
        problems.push(`${shown(value, spec.sensitive)} at '${path}' failed to satisfy constraint: Member must satisfy enum value set: [${spec.enum.join(', ')}]`);
      }
      // No string AWS accepts holds U+0000, and Postgres text cannot store it: refuse it here, clearly.
      if (value.includes('\u0000') && !spec.resourceName) {
        problems.push(`Value at '${path}' failed to satisfy constraint: Member must not contain the null character (U+0000)`);
      }
      if (!isWellFormedUnicode(value)) {
        if (spec.name && problems.length === before) throw new ApiError('InvalidName', `Invalid Name: '${value}'`);
        problems.push(`Value at '${path}' failed to satisfy constraint: Member must be well-formed Unicode (it holds an unpaired surrogate)`);
      }
      if (spec.pattern && !spec.pattern.regex.test(value)) {
        problems.push(`${shown(value, spec.sensitive)} at '${path}' failed to satisfy constraint: Member must satisfy regular expression pattern: ${spec.pattern.text}`);
      }
      return value;
    }
    default: {
      const never: never = spec;
      throw new Error(`unhandled shape ${JSON.stringify(never)}`);
    }
  }

  function check(violated: boolean, rule: string): void {
    if (violated) {
      const sensitive = spec.kind === 'string' && spec.sensitive;
      problems.push(`${shown(value, sensitive)} at '${path}' failed to satisfy constraint: Member must have ${rule}`);
    }
  }
}

/** How AWS prints a list or structure value in a message: `[Shape(member=value, ...), ...]` (Java's toString). */
function quoted(value: unknown, spec: ShapeSpec): string {
  if (Array.isArray(value) && spec.kind === 'list') return `[${value.map((v) => quoted(v, spec.member)).join(', ')}]`;
  if (spec.kind === 'structure' && typeof value === 'object' && value !== null) {
    const v = value as Record<string, unknown>;
    const members = Object.keys(spec.members).filter((k) => v[k] !== undefined && v[k] !== null);
    return `${spec.name ?? 'Structure'}(${members.map((k) => `${k}=${quoted(v[k], spec.members[k]!)}`).join(', ')})`;
  }
  return spec.kind === 'string' && spec.sensitive ? '***' : String(value);
}

/** AWS quotes the offending value, except for sensitive members. */
function shown(value: unknown, sensitive: boolean | undefined): string {
  return sensitive ? 'Value' : `Value '${String(value)}'`;
}

function serialization(path: string, expected: string): ApiError {
  return new ApiError('SerializationException', `Expected ${expected} at '${path || '(request)'}'`);
}
