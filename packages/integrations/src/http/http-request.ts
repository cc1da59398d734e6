/**
 * The HTTP Task's parameters (developer guide, "Call HTTPS APIs in Step Functions workflows", HTTP Task fields)
 * checked and turned into one request:
 * - `ApiEndpoint` (required): the URL; `http://` is allowed too (self-hosted services), query parameters in it kept;
 * - `Method` (required): GET, POST, PUT, DELETE, PATCH, OPTIONS or HEAD;
 * - `Authentication.ConnectionArn` (required): the EventBridge connection that authorises the call;
 * - `Headers`, `QueryParameters` (optional): objects of scalar values; the headers Step Functions does not let a
 *   definition set (authorization, host, the hop-by-hop and caching ones, `x-amz-*`, `x-amzn-*`, `x-forwarded-*`,
 *   and the `User-Agent` / `Range` it sets itself) are refused by name rather than silently dropped;
 * - `RequestBody` (optional): a string goes as it is, any other JSON value as its JSON text, or URL-encoded (see
 *   form-encoding.ts) under `Transform.RequestBodyEncoding: URL_ENCODED`.
 * Step Functions' own headers: `User-Agent: Amazon|StepFunctions|HttpInvoke|<region>` and `Range: bytes=0-262144`.
 * The connection's invocation parameters are merged in with the connection's values taking precedence (EventBridge
 * API reference, "HttpParameters": "merged with any InvocationParameters specified on the Connection, with any
 * values from the Connection taking precedence"); its body parameters join a JSON object RequestBody, or make the
 * body of a POST, PUT or PATCH that has none; the authorization header is added last.
 */
import { HTTP_BODY_ENCODINGS, HTTP_METHODS, HTTP_TASK_FIELDS, isJsonObject, isReservedHttpHeader, type Json, type JsonObject } from '@baton/asl';
import type { ConnectionDefinition } from './connection-definition.js';
import { ARRAY_FORMATS, formEncode, FormEncodingError, type ArrayFormat } from './form-encoding.js';

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

export interface HttpTaskSpec {
  readonly url: URL;
  readonly method: (typeof HTTP_METHODS)[number];
  readonly connectionArn: string;
  readonly headers: readonly (readonly [string, string])[];
  readonly query: readonly (readonly [string, string])[];
  readonly body: Json | undefined;
  readonly urlEncoded: boolean;
  readonly arrayFormat: ArrayFormat;
}

export interface BuiltRequest {
  readonly url: URL;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer | undefined;
}

/** Thrown for parameters the task cannot send; the message names the field, never a header value. */
export class HttpTaskParameterError extends Error {
  override readonly name = 'HttpTaskParameterError';
}

function problem(message: string): never {
  throw new HttpTaskParameterError(message);
}

function scalarText(v: Json, where: string): string {
  if (v === null || typeof v === 'object') problem(`${where} must be a string, number or boolean`);
  return String(v);
}

function pairs(v: Json | undefined, field: string): [string, string][] {
  if (v === undefined) return [];
  if (!isJsonObject(v)) problem(`The HTTP Task field ${field} must be an object`);
  return Object.entries(v).map(([k, x]) => [k, scalarText(x, `${field}.${k}`)]);
}

function transform(v: Json | undefined): { urlEncoded: boolean; arrayFormat: ArrayFormat } {
  if (v === undefined) return { urlEncoded: false, arrayFormat: 'INDICES' };
  if (!isJsonObject(v)) problem('The HTTP Task field Transform must be an object');
  const unknown = Object.keys(v).filter((k) => k !== 'RequestBodyEncoding' && k !== 'RequestEncodingOptions');
  if (unknown.length > 0) problem(`The HTTP Task field Transform does not support ${unknown.map((k) => `'${k}'`).join(', ')}`);
  const encoding = v.RequestBodyEncoding ?? 'NONE';
  if (!(HTTP_BODY_ENCODINGS as readonly Json[]).includes(encoding)) problem(`Transform.RequestBodyEncoding must be one of ${HTTP_BODY_ENCODINGS.join(', ')}`);
  let arrayFormat: ArrayFormat = 'INDICES';
  if (v.RequestEncodingOptions !== undefined) {
    const o = v.RequestEncodingOptions;
    if (!isJsonObject(o) || Object.keys(o).some((k) => k !== 'ArrayFormat')) problem('Transform.RequestEncodingOptions must be an object with only ArrayFormat');
    if (o.ArrayFormat !== undefined) {
      if (!ARRAY_FORMATS.includes(o.ArrayFormat as ArrayFormat)) problem(`Transform.RequestEncodingOptions.ArrayFormat must be one of ${ARRAY_FORMATS.join(', ')}`);
      arrayFormat = o.ArrayFormat as ArrayFormat;
    }
  }
  return { urlEncoded: encoding === 'URL_ENCODED', arrayFormat };
}

function checkHeaderName(name: string): void {
  if (!TOKEN.test(name)) problem(`The header name '${name}' is not a valid HTTP header name`);
  if (isReservedHttpHeader(name)) {
    problem(`The HTTP Task cannot set the header '${name}' (reserved: Step Functions or the connection sets it)`);
  }
}

/** Checks the evaluated parameters; throws HttpTaskParameterError. */
export function parseHttpTask(parameters: Json): HttpTaskSpec {
  if (!isJsonObject(parameters)) problem('The HTTP Task needs Parameters (or Arguments) with ApiEndpoint, Method and Authentication');
  const unknown = Object.keys(parameters).filter((k) => !(HTTP_TASK_FIELDS as readonly string[]).includes(k));
  if (unknown.length > 0) problem(`The HTTP Task does not support the field(s) ${unknown.map((k) => `'${k}'`).join(', ')}`);
  const { ApiEndpoint: endpoint, Method: method, Authentication: auth } = parameters;
  if (typeof endpoint !== 'string' || !/^https?:\/\//i.test(endpoint) || !URL.canParse(endpoint)) problem('The HTTP Task field ApiEndpoint must be an http(s) URL');
  // Node would turn user:password@ into an Authorization header the task may not set, outside any connection.
  if (new URL(endpoint).username !== '' || new URL(endpoint).password !== '') problem('The HTTP Task field ApiEndpoint cannot carry user information (user:password@); authorise through the connection');
  if (typeof method !== 'string' || !(HTTP_METHODS as readonly string[]).includes(method)) problem(`The HTTP Task field Method must be one of ${HTTP_METHODS.join(', ')}`);
  if (!isJsonObject(auth) || typeof auth.ConnectionArn !== 'string' || Object.keys(auth).length !== 1) {
    problem('The HTTP Task field Authentication must be an object with only a string ConnectionArn');
  }
  const headers = pairs(parameters.Headers, 'Headers');
  for (const [name] of headers) checkHeaderName(name);
  const { urlEncoded, arrayFormat } = transform(parameters.Transform);
  if (urlEncoded && parameters.RequestBody !== undefined && !isJsonObject(parameters.RequestBody)) {
    problem('Transform.RequestBodyEncoding URL_ENCODED needs a JSON object RequestBody');
  }
  return {
    url: new URL(endpoint),
    method: method as HttpTaskSpec['method'],
    connectionArn: auth.ConnectionArn,
    headers,
    query: pairs(parameters.QueryParameters, 'QueryParameters'),
    body: parameters.RequestBody,
    urlEncoded,
    arrayFormat,
  };
}

function setHeader(headers: Record<string, string>, name: string, value: string): void {
  for (const existing of Object.keys(headers)) if (existing.toLowerCase() === name.toLowerCase()) delete headers[existing];
  headers[name] = value;
}

function requestBody(spec: HttpTaskSpec, connection: ConnectionDefinition): { text: string; contentType: string } | undefined {
  const extra = connection.AuthParameters.InvocationHttpParameters?.BodyParameters ?? [];
  let body = spec.body;
  // A method that carries no body (GET, HEAD, DELETE, OPTIONS) gets none from the connection alone.
  if (extra.length > 0 && (body !== undefined || BODY_METHODS.has(spec.method))) {
    if (body !== undefined && !isJsonObject(body)) problem('The connection adds body parameters, which need a JSON object RequestBody (or none)');
    const merged: JsonObject = { ...(body ?? {}) };
    for (const p of extra) merged[p.Key] = p.Value;
    body = merged;
  }
  if (body === undefined) return undefined;
  if (spec.urlEncoded) {
    try {
      return { text: formEncode(body as JsonObject, spec.arrayFormat), contentType: 'application/x-www-form-urlencoded' };
    } catch (e) {
      if (e instanceof FormEncodingError) problem(e.message);
      throw e;
    }
  }
  return { text: typeof body === 'string' ? body : JSON.stringify(body), contentType: 'application/json; charset=UTF-8' };
}

/** The request to send: the task's fields, the connection's invocation parameters, then `authorization`. */
export function buildRequest(spec: HttpTaskSpec, connection: ConnectionDefinition, authorization: readonly (readonly [string, string])[], region: string): BuiltRequest {
  const invocation = connection.AuthParameters.InvocationHttpParameters;
  const url = new URL(spec.url);
  for (const [k, v] of spec.query) url.searchParams.set(k, v);
  for (const p of invocation?.QueryStringParameters ?? []) url.searchParams.set(p.Key, p.Value);
  const headers: Record<string, string> = {};
  for (const [k, v] of spec.headers) setHeader(headers, k, v);
  for (const p of invocation?.HeaderParameters ?? []) setHeader(headers, p.Key, p.Value);
  for (const [k, v] of authorization) setHeader(headers, k, v);
  const body = requestBody(spec, connection);
  if (body && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = body.contentType;
  setHeader(headers, 'User-Agent', `Amazon|StepFunctions|HttpInvoke|${region}`);
  setHeader(headers, 'Range', 'bytes=0-262144');
  return { url, method: spec.method, headers, body: body ? Buffer.from(body.text, 'utf8') : undefined };
}
