/**
 * The HTTP Task (`arn:aws:states:::http:invoke`, developer guide "Call HTTPS APIs in Step Functions workflows"):
 * its request fields, and what a definition cannot ask of it. The integration (@baton/integrations) uses the same
 * vocabulary at run time, for the values only an execution knows.
 * At creation Baton refuses what it would otherwise have to ignore, wherever the definition states it literally:
 * a field the HTTP Task does not have (`InvocationConfig`, say), a Method outside GET, POST, PUT, DELETE, PATCH,
 * OPTIONS, HEAD, an `Authentication` other than a ConnectionArn, a header Step Functions reserves (the
 * authorization and hop-by-hop headers, `x-amz-*`, `x-amzn-*`, `x-forwarded-*`, and the `User-Agent` / `Range` it
 * sets itself), and a `Transform` other than RequestBodyEncoding NONE / URL_ENCODED with an ArrayFormat of
 * INDICES, REPEAT, COMMAS or BRACKETS. Values computed by a path or an expression are checked when the task runs.
 */
import { isJsonObject, type Json, type JsonObject } from '../json.js';
import { at, type Report } from './diagnostics.js';
import type { QueryLanguage } from './context.js';

export const HTTP_TASK_FIELDS = ['ApiEndpoint', 'Method', 'Authentication', 'Headers', 'QueryParameters', 'RequestBody', 'Transform'] as const;
export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'] as const;
export const HTTP_ARRAY_FORMATS = ['INDICES', 'REPEAT', 'COMMAS', 'BRACKETS'] as const;
export const HTTP_BODY_ENCODINGS = ['NONE', 'URL_ENCODED'] as const;

const RESERVED_HEADERS = new Set([
  'a-im', 'accept-charset', 'accept-datetime', 'accept-encoding', 'authorization', 'cache-control', 'connection',
  'content-encoding', 'content-length', 'content-md5', 'date', 'expect', 'forwarded', 'from', 'host', 'http2-settings',
  'if-match', 'if-modified-since', 'if-none-match', 'if-range', 'if-unmodified-since', 'keep-alive', 'max-forwards',
  'origin', 'pragma', 'proxy-authenticate', 'proxy-authorization', 'range', 'referer', 'server', 'te', 'trailer',
  'transfer-encoding', 'upgrade', 'user-agent', 'via', 'warning', 'www-authenticate',
]);
const RESERVED_PREFIXES = ['x-amz-', 'x-amzn-', 'x-forwarded-'];

/** A header the HTTP Task may not set (Step Functions or the connection sets it). */
export function isReservedHttpHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return RESERVED_HEADERS.has(lower) || RESERVED_PREFIXES.some((p) => lower.startsWith(p));
}

export const HTTP_INVOKE = /^arn:aws(?:-[a-z]+)*:states:::http:invoke$/;

interface Field {
  readonly name: string;
  readonly key: string;
  /** The value when the definition states it; undefined when a path or expression computes it. */
  readonly literal: Json | undefined;
}

/** The fields of an object in the state's language: `X` or `X.$` (JSONPath), `X` with `{% %}` values (JSONata). */
function fields(o: JsonObject, language: QueryLanguage): Field[] {
  return Object.entries(o).map(([key, value]) => {
    const dynamic = language === 'JSONPath' ? key.endsWith('.$') : typeof value === 'string' && /^\{%[\s\S]*%\}$/.test(value.trim());
    const name = language === 'JSONPath' && key.endsWith('.$') ? key.slice(0, -2) : key;
    return { name, key, literal: dynamic ? undefined : value };
  });
}

function oneOf(report: Report, f: Field, allowed: readonly string[], location: string, what: string): void {
  if (f.literal !== undefined && !allowed.includes(f.literal as string)) {
    report.schema(`Baton's HTTP Task supports ${what} ${allowed.join(', ')}, not ${JSON.stringify(f.literal)}`, at(location, f.key));
  }
}

function onlyFields(report: Report, o: JsonObject, language: QueryLanguage, allowed: readonly string[], location: string, what: string): Field[] {
  const all = fields(o, language);
  for (const f of all) {
    if (!allowed.includes(f.name)) report.schema(`Baton's HTTP Task does not support the field '${f.name}' in ${what}`, at(location, f.key));
  }
  return all;
}

function checkTransform(report: Report, f: Field, language: QueryLanguage, location: string): void {
  if (!isJsonObject(f.literal)) return;
  const loc = at(location, f.key);
  for (const t of onlyFields(report, f.literal, language, ['RequestBodyEncoding', 'RequestEncodingOptions'], loc, 'Transform')) {
    if (t.name === 'RequestBodyEncoding') oneOf(report, t, HTTP_BODY_ENCODINGS, loc, 'the RequestBodyEncoding');
    if (t.name === 'RequestEncodingOptions' && isJsonObject(t.literal)) {
      const optionsLoc = at(loc, t.key);
      for (const o of onlyFields(report, t.literal, language, ['ArrayFormat'], optionsLoc, 'Transform.RequestEncodingOptions')) {
        if (o.name === 'ArrayFormat') oneOf(report, o, HTTP_ARRAY_FORMATS, optionsLoc, 'the ArrayFormat');
      }
    }
  }
}

/** Checks an http:invoke Task's Parameters (JSONPath) or Arguments (JSONata) where they are literal. */
export function checkHttpTask(report: Report, state: JsonObject, location: string, language: QueryLanguage): void {
  const field = language === 'JSONata' ? 'Arguments' : 'Parameters';
  const args = state[field];
  if (!isJsonObject(args)) return;
  const loc = at(location, field);
  for (const f of onlyFields(report, args, language, HTTP_TASK_FIELDS, loc, field)) {
    switch (f.name) {
      case 'Method':
        oneOf(report, f, HTTP_METHODS, loc, 'the methods');
        break;
      case 'Authentication':
        if (isJsonObject(f.literal)) onlyFields(report, f.literal, language, ['ConnectionArn'], at(loc, f.key), 'Authentication');
        break;
      case 'Headers':
        if (isJsonObject(f.literal)) {
          for (const h of fields(f.literal, language)) {
            if (isReservedHttpHeader(h.name)) report.schema(`Baton's HTTP Task cannot set the header '${h.name}' (Step Functions or the connection sets it)`, at(at(loc, f.key), h.key));
          }
        }
        break;
      case 'Transform':
        checkTransform(report, f, language, loc);
        break;
    }
  }
}
