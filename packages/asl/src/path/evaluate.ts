/**
 * JSONPath evaluation with Jayway JsonPath's semantics (what AWS Step Functions runs): how each token walks the
 * document, which misses are errors and with which message (`No results for path: $['a']`,
 * `Missing property in path $['a']`, ...), and what an indefinite path collects. An index past the end of an array
 * reads as `null`, as Jayway does over Jackson nodes (AWS resolves `"x.$": "$.items[5]"` to null).
 */
import type { Json } from '../json.js';
import { isJsonObject } from '../json.js';
import { isTokenDefinite, isUpstreamDefinite, normalizedPath, tokenText, type ParsedJsonPath, type PathToken } from './ast.js';
import { applyPathFunction, PathFunctionError } from './functions.js';
import { javaNumberText, jsonText } from './json-text.js';
import { acceptsFilter } from './filter-eval.js';

export interface EvalOptions {
  /** Jayway SUPPRESS_EXCEPTIONS: a branch that cannot be followed is skipped instead of failing the query. */
  suppress: boolean;
  /** Jayway REQUIRE_PROPERTIES: a missing leaf property is an error too (used by filter existence checks). */
  requireProperties?: boolean;
  /** An index past the end of an array: `null` (Jayway over Jackson nodes) or no match at all. */
  missingIndex: 'null' | 'none';
}

/** Jayway's PathNotFoundException / InvalidPathException, with Jayway's message. */
export class PathEvaluationError extends Error {}

export type EvalResult = { found: true; value: Json } | { found: false; reason: string };

const PROVIDER = 'com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider';

/** The Java class Jayway names in "Expected to find an object ... but found '...'". */
function javaClassName(model: Json): string {
  if (model === null) return 'null';
  if (typeof model === 'string') return 'java.lang.String';
  if (typeof model === 'boolean') return 'java.lang.Boolean';
  if (typeof model === 'number') {
    if (!Number.isInteger(model)) return 'java.lang.Double';
    return Math.abs(model) <= 2147483647 ? 'java.lang.Integer' : 'java.lang.Long';
  }
  return Array.isArray(model) ? 'com.fasterxml.jackson.databind.node.ArrayNode' : 'com.fasterxml.jackson.databind.node.ObjectNode';
}

/** A model as Jayway prints it in "Current context is: ...". */
function contextText(model: Json): string {
  if (typeof model === 'string') return model;
  if (typeof model === 'number') return javaNumberText(model);
  return jsonText(model);
}

class Walk {
  readonly results: Json[] = [];

  constructor(
    private readonly tokens: readonly PathToken[],
    private readonly root: Json,
    private readonly opts: EvalOptions,
  ) {}

  private isLeaf(i: number): boolean {
    return i === this.tokens.length - 1;
  }

  private emit(i: number, path: string, value: Json): void {
    if (this.isLeaf(i)) this.results.push(value);
    else this.run(i + 1, path, value);
  }

  run(i: number, path: string, model: Json): void {
    if (i >= this.tokens.length) {
      this.results.push(model);
      return;
    }
    const t = this.tokens[i]!;
    switch (t.kind) {
      case 'property':
        return this.property(i, t, path, model);
      case 'index':
        if (!this.checkArray(i, path, model)) return;
        for (const index of t.indexes) this.arrayIndex(i, path, model as Json[], index);
        return;
      case 'slice':
        if (!this.checkArray(i, path, model)) return;
        return this.slice(i, t, path, model as Json[]);
      case 'wildcard':
        return this.wildcard(i, path, model);
      case 'scan':
        return this.walk(i + 1, path, model);
      case 'filter':
        return this.filter(i, t, path, model);
      case 'function':
        throw new PathEvaluationError(`Function ${t.name}() must be the last token of a path`);
    }
  }

  private property(i: number, t: Extract<PathToken, { kind: 'property' }>, path: string, model: Json): void {
    if (!isJsonObject(model)) {
      if (!isUpstreamDefinite(this.tokens, i) || this.opts.suppress) return;
      throw new PathEvaluationError(
        `Expected to find an object with property ${tokenText(t)} in path ${path} but found '${javaClassName(model)}'. ` +
          `This is not a json object according to the JsonProvider: '${PROVIDER}'.`,
      );
    }
    if (t.names.length === 1) {
      this.objectProperty(i, path, model, t.names[0]!, isTokenDefinite(this.tokens, i));
    } else if (this.isLeaf(i)) {
      const merged: Record<string, Json> = {};
      for (const name of t.names) {
        if (Object.prototype.hasOwnProperty.call(model, name)) merged[name] = model[name]!;
        else if (this.opts.requireProperties && !this.opts.suppress) {
          throw new PathEvaluationError(`Missing property in path ${path}['${name}']`);
        }
      }
      this.results.push(merged);
    } else {
      for (const name of t.names) this.objectProperty(i, path, model, name, false);
    }
  }

  private objectProperty(i: number, path: string, model: Record<string, Json>, name: string, tokenDefinite: boolean): void {
    const evalPath = `${path}['${name}']`;
    if (!Object.prototype.hasOwnProperty.call(model, name)) {
      if (this.isLeaf(i)) {
        if (this.opts.suppress || !this.opts.requireProperties) return;
        throw new PathEvaluationError(`No results for path: ${evalPath}`);
      }
      const upstream = isUpstreamDefinite(this.tokens, i);
      if ((!(upstream && tokenDefinite) && !this.opts.requireProperties) || this.opts.suppress) return;
      throw new PathEvaluationError(`Missing property in path ${evalPath}`);
    }
    this.emit(i, evalPath, model[name]!);
  }

  private checkArray(i: number, path: string, model: Json): boolean {
    if (Array.isArray(model)) return true;
    if (!isUpstreamDefinite(this.tokens, i) || this.opts.suppress) return false;
    if (model === null) throw new PathEvaluationError(`The path ${path} is null`);
    throw new PathEvaluationError(`Filter: ${tokenText(this.tokens[i]!)} can only be applied to arrays. Current context is: ${contextText(model)}`);
  }

  private arrayIndex(i: number, path: string, model: Json[], index: number): void {
    const effective = index < 0 ? model.length + index : index;
    let hit: Json;
    if (effective >= 0 && effective < model.length) hit = model[effective]!;
    else if (this.opts.missingIndex === 'null') hit = null;
    else return;
    this.emit(i, `${path}[${index}]`, hit);
  }

  private slice(i: number, t: Extract<PathToken, { kind: 'slice' }>, path: string, model: Json[]): void {
    const length = model.length;
    if (length === 0) return;
    let from = t.from;
    let to = t.to;
    if (from !== undefined && to === undefined) {
      if (from < 0) from = length + from;
      from = Math.max(0, from);
      for (let k = from; k < length; k++) this.arrayIndex(i, path, model, k);
    } else if (from !== undefined && to !== undefined) {
      // Jayway's "between" slice takes negative bounds as written (each index then counts from the end).
      to = Math.min(length, to);
      for (let k = from; k < to; k++) this.arrayIndex(i, path, model, k);
    } else if (to !== undefined) {
      if (to < 0) to = length + to;
      to = Math.min(length, to);
      for (let k = 0; k < to; k++) this.arrayIndex(i, path, model, k);
    }
  }

  private wildcard(i: number, path: string, model: Json): void {
    if (isJsonObject(model)) {
      for (const key of Object.keys(model)) this.objectProperty(i, path, model, key, false);
    } else if (Array.isArray(model)) {
      for (let k = 0; k < model.length; k++) {
        try {
          this.arrayIndex(i, path, model, k);
        } catch (e) {
          if (this.opts.requireProperties && e instanceof PathEvaluationError) throw e;
          if (!(e instanceof PathEvaluationError)) throw e;
        }
      }
    }
  }

  private filter(i: number, t: Extract<PathToken, { kind: 'filter' }>, path: string, model: Json): void {
    if (isJsonObject(model)) {
      if (acceptsFilter(t.expr, model, this.root, this.opts)) this.emit(i, path, model);
    } else if (Array.isArray(model)) {
      model.forEach((element, k) => {
        if (acceptsFilter(t.expr, element, this.root, this.opts)) this.arrayIndex(i, path, model, k);
      });
    } else if (isUpstreamDefinite(this.tokens, i) && !this.opts.suppress) {
      throw new PathEvaluationError(`Filter: [?] can not be applied to primitives. Current context is: ${contextText(model)}`);
    }
  }

  /** `..`: visit every object and array under `model` (pre-order) where the next token can apply. */
  private walk(next: number, path: string, model: Json): void {
    if (isJsonObject(model)) {
      if (this.scanMatches(next, model)) this.run(next, path, model);
      for (const [key, value] of Object.entries(model)) this.walk(next, `${path}['${key}']`, value);
    } else if (Array.isArray(model)) {
      if (this.scanMatches(next, model)) {
        if (this.isLeaf(next)) this.run(next, path, model);
        // Jayway applies what follows an array token found by a scan to every element (ScanPathToken.walkArray).
        else model.forEach((element, k) => this.run(next + 1, `${path}[${k}]`, element));
      }
      model.forEach((element, k) => this.walk(next, `${path}[${k}]`, element));
    }
  }

  private scanMatches(next: number, model: Json): boolean {
    const t = this.tokens[next]!;
    switch (t.kind) {
      case 'property':
        if (!isJsonObject(model)) return false;
        if (!isTokenDefinite(this.tokens, next)) return true;
        return t.names.every((n) => Object.prototype.hasOwnProperty.call(model, n));
      case 'index':
      case 'slice':
        return Array.isArray(model);
      case 'wildcard':
        return true;
      case 'filter':
        return acceptsFilter(t.expr, model, this.root, this.opts);
      default:
        return false;
    }
  }
}

export function isPathDefinite(path: ParsedJsonPath): boolean {
  return path.tokens.every((_, i) => isTokenDefinite(path.tokens, i));
}

/**
 * Evaluates `path` with `item` as its start (`$` or `@`) and `root` as the document `$` refers to inside filters.
 * A definite path gives its one value or not-found with Jayway's reason; an indefinite one gives the array of
 * matches. Without `suppress`, Jayway's exceptions become not-found.
 */
export function evaluateParsedPath(path: ParsedJsonPath, item: Json, root: Json, opts: EvalOptions): EvalResult {
  const last = path.tokens[path.tokens.length - 1];
  if (last && last.kind === 'function') {
    const inner: ParsedJsonPath = { ...path, tokens: path.tokens.slice(0, -1) };
    const r = evaluateParsedPath(inner, item, root, opts);
    if (!r.found) return r;
    try {
      return { found: true, value: applyPathFunction(last.name, r.value) };
    } catch (e) {
      if (e instanceof PathFunctionError) return { found: false, reason: e.message };
      throw e;
    }
  }
  const walk = new Walk(path.tokens, root, opts);
  try {
    walk.run(0, path.root, item);
  } catch (e) {
    if (e instanceof PathEvaluationError) return { found: false, reason: e.message };
    throw e;
  }
  if (!isPathDefinite(path)) return { found: true, value: walk.results };
  if (walk.results.length === 0) return { found: false, reason: `No results for path: ${normalizedPath(path)}` };
  return { found: true, value: walk.results[0]! };
}
