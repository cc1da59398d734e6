/**
 * Nothing accepted and then ignored: every request member of every action in the SDK's own model
 * (`@aws-sdk/client-sfn`'s schemas) is either in Baton's request shapes, so the backend receives it and honours
 * or refuses it, or listed below with the work that will take it. Members Baton's shapes do not list are dropped
 * before the backend sees them (as AWS drops members it does not know), so a member missing here would be a
 * request member silently ignored. Actions Baton does not serve answer UnknownOperationException.
 * Required members must agree too (AWS's "Member must not be null").
 */
import * as S from '@aws-sdk/client-sfn';
import { describe, expect, it } from 'vitest';
import { ApiError, isSfnAction, type SfnAction } from '@baton/api-contract';
import { resolveAction } from '../src/json-protocol/dispatch.js';
import { REQUEST_SHAPES } from '../src/json-protocol/request-shapes.js';
import type { ShapeSpec } from '../src/json-protocol/shape-spec.js';

/** Members other work will take; until then the backend never receives them. */
const TAKEN_BY_OTHER_WORK: Record<string, string> = {};

/** Actions Baton does not serve yet, and who builds them (none now: every action of the SDK is served). */
const NOT_SERVED: Record<string, string> = {
};

// The SDK's runtime schemas (smithy's compact form): [3, ns, name, traits, memberNames, memberSchemas, requiredCount]
// for a structure, [1, ns, name, traits, member] for a list, numbers for simple types (+64: a list of them),
// [schema, traits] for a member with traits, and functions for lazy references.
type Schema = unknown;
const resolve = (s: Schema): Schema => (typeof s === 'function' ? resolve((s as () => Schema)()) : s);

function unwrap(s: Schema): Schema {
  const r = resolve(s);
  if (Array.isArray(r) && r.length === 2 && typeof r[1] === 'number') return unwrap(r[0]);
  if (Array.isArray(r) && r[0] === 0) return unwrap(r[4]);
  return r;
}

interface ModelMember {
  path: string;
  required: boolean;
  kind: 'structure' | 'list' | 'simple';
}

/** Every member path of an input shape, with nested structures and list members (`tags[].key`). */
function modelMembers(schema: Schema, prefix = ''): ModelMember[] {
  const s = unwrap(schema) as unknown[];
  const names = s[4] as string[];
  const members = s[5] as Schema[];
  const requiredCount = (s[6] as number | undefined) ?? 0;
  return names.flatMap((name, i) => {
    const path = `${prefix}${name}`;
    const m = unwrap(members[i]);
    if (Array.isArray(m) && m[0] === 3) return [{ path, required: i < requiredCount, kind: 'structure' as const }, ...modelMembers(m, `${path}.`)];
    if (Array.isArray(m) && m[0] === 1) {
      const item = unwrap(m[4]);
      const nested = Array.isArray(item) && item[0] === 3 ? modelMembers(item, `${path}[].`) : [];
      return [{ path, required: i < requiredCount, kind: 'list' as const }, ...nested];
    }
    return [{ path, required: i < requiredCount, kind: 'simple' as const }];
  });
}

function batonMembers(spec: ShapeSpec, prefix = ''): ModelMember[] {
  if (spec.kind !== 'structure') return [];
  return Object.entries(spec.members).flatMap(([name, m]) => {
    const path = `${prefix}${name}`;
    const required = spec.required?.includes(name) ?? false;
    if (m.kind === 'structure') return [{ path, required, kind: 'structure' as const }, ...batonMembers(m, `${path}.`)];
    if (m.kind === 'list') return [{ path, required, kind: 'list' as const }, ...batonMembers(m.member, `${path}[].`)];
    return [{ path, required, kind: 'simple' as const }];
  });
}

const sdkActions = Object.keys(S).filter((k) => /^[A-Z][A-Za-z]*Command$/.test(k)).map((k) => k.slice(0, -'Command'.length)).sort();

describe('the request members of the SDK model', () => {
  it('finds the 37 actions of the SDK', () => {
    expect(sdkActions).toHaveLength(37);
  });

  it.each(sdkActions)('%s: every member is taken by the request shape, with the same required members', (action) => {
    if (!isSfnAction(action)) {
      expect(NOT_SERVED[action], `${action} is neither served nor listed as not served`).toBeDefined();
      return;
    }
    const model = modelMembers((S as unknown as Record<string, Schema>)[`${action}Input$`]);
    const baton = new Map(batonMembers(REQUEST_SHAPES[action as SfnAction]).map((m) => [m.path, m]));
    const missing = model.filter((m) => !baton.has(m.path) && !TAKEN_BY_OTHER_WORK[`${action}.${m.path}`]).map((m) => m.path);
    expect(missing, `${action}: SDK members Baton's API would drop`).toEqual([]);
    const extra = [...baton.keys()].filter((p) => !model.some((m) => m.path === p));
    expect(extra, `${action}: members Baton's shape has that the SDK model does not`).toEqual([]);
    const requiredDiffers = model.filter((m) => baton.has(m.path) && baton.get(m.path)!.required !== m.required).map((m) => m.path);
    expect(requiredDiffers, `${action}: required in one and not the other`).toEqual([]);
  });

  it('answers the actions it does not serve with UnknownOperationException', () => {
    for (const action of Object.keys(NOT_SERVED)) {
      expect(sdkActions).toContain(action);
      let error: unknown;
      try {
        resolveAction(`AWSStepFunctions.${action}`);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ApiError);
      expect((error as ApiError).code).toBe('UnknownOperationException');
    }
  });

  it('lists only members that the SDK model has and Baton does not take', () => {
    for (const key of Object.keys(TAKEN_BY_OTHER_WORK)) {
      const [action, path] = key.split('.') as [string, string];
      const shape = isSfnAction(action) ? REQUEST_SHAPES[action] : undefined;
      expect(shape && batonMembers(shape).some((m) => m.path === path), `${key} is taken now: remove it from the list`).toBe(false);
    }
  });
});
