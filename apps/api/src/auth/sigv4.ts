/**
 * Verifies AWS Signature Version 4 on incoming requests (AWS General Reference, "Signature Version 4 signing
 * process"; IAM User Guide, "Elements of an AWS API request signature"). The answers are AWS's:
 * - no Authorization header: `MissingAuthenticationToken` "Missing Authentication Token";
 * - an Authorization header without its parts: `IncompleteSignature`;
 * - an access key not configured: `UnrecognizedClientException` "The security token included in the request is
 *   invalid.";
 * - a date more than 5 minutes off the server clock: `InvalidSignatureException` "Signature expired: ..." or
 *   "Signature not yet current: ..." (IAM User Guide, "Elements of an AWS API request signature": "a request
 *   must reach AWS within five minutes of the time stamp in the request");
 * - a signature that does not match: `InvalidSignatureException` "The request signature we calculated does not
 *   match the signature you provided. ...";
 * - a body its signature does not cover: an `x-amz-content-sha256` other than the body's SHA-256
 *   (`UNSIGNED-PAYLOAD`, `STREAMING-...`, or a wrong hash) is `InvalidSignatureException`. S3 accepts unsigned
 *   payloads; the JSON services sign every body, and so must every client of this API.
 * A validly signed request is accepted again within that window, as AWS does: botocore signs two identical calls
 * in the same second identically (the AWS CLI polling describe-execution), and the mutations that matter are
 * idempotent anyway (execution names, single-use task tokens). Nothing is remembered between requests, so every
 * replica answers alike.
 * The region in the credential scope is the caller's choice (it is part of what is signed); the service must be
 * `states`.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from '@baton/api-contract';
import type { AccessKeys } from './access-keys.js';

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

export interface SigV4Options {
  accessKeys: AccessKeys;
  service: string;
  now: () => number;
}

export interface SignedRequest {
  method: string;
  /** The request target as received: path and query string. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Returns the access key id the request was signed with; throws `ApiError` otherwise. */
export function verifySigV4(req: SignedRequest, options: SigV4Options): string {
  const header = single(req.headers.authorization);
  if (!header) throw new ApiError('MissingAuthenticationToken', 'Missing Authentication Token');
  const auth = parseAuthorization(header, req.headers);
  const secret = options.accessKeys.get(auth.accessKeyId);
  if (secret === undefined) {
    throw new ApiError('UnrecognizedClientException', 'The security token included in the request is invalid.');
  }
  checkScope(auth);
  checkClock(auth.amzDate, options.now());

  const bodyHash = sha256Hex(req.body);
  const declaredHash = single(req.headers['x-amz-content-sha256']);
  if (declaredHash !== undefined && declaredHash !== bodyHash) throw uncoveredBody(declaredHash);
  const canonical = canonicalRequest(req, auth.signedHeaders, bodyHash);
  const stringToSign = [SIGV4_ALGORITHM, auth.amzDate, auth.scope, sha256Hex(canonical)].join('\n');
  const key = signingKey(secret, auth.scopeDate, auth.region, auth.service);
  const expected = createHmac('sha256', key).update(stringToSign).digest();
  const given = Buffer.from(auth.signature, 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new ApiError(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    );
  }
  return auth.accessKeyId;

  function checkScope(a: ParsedAuthorization): void {
    if (a.terminator !== 'aws4_request') {
      throw new ApiError('IncompleteSignature', `Credential should be scoped with a valid terminator: 'aws4_request', not '${a.terminator}'.`);
    }
    if (a.service !== options.service) {
      throw new ApiError('InvalidSignatureException', `Credential should be scoped to correct service: '${options.service}'. `);
    }
    if (a.scopeDate !== a.amzDate.slice(0, 8)) {
      throw new ApiError(
        'InvalidSignatureException',
        `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${a.scopeDate}' != '${a.amzDate.slice(0, 8)}', from '${a.amzDate}'.`,
      );
    }
  }
}

interface ParsedAuthorization {
  accessKeyId: string;
  scopeDate: string;
  region: string;
  service: string;
  terminator: string;
  scope: string;
  signedHeaders: string[];
  signature: string;
  amzDate: string;
}

function parseAuthorization(header: string, headers: IncomingHttpHeaders): ParsedAuthorization {
  const space = header.indexOf(' ');
  const algorithm = space < 0 ? header : header.slice(0, space);
  if (algorithm !== SIGV4_ALGORITHM) {
    throw new ApiError('IncompleteSignature', `Unsupported AWS 'algorithm': '${algorithm}'`);
  }
  const params = new Map<string, string>();
  for (const part of header.slice(space + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) params.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const credential = params.get('Credential');
  const signedHeaders = params.get('SignedHeaders');
  const signature = params.get('Signature');
  const amzDate = single(headers['x-amz-date']) ?? isoBasic(single(headers.date));
  const missing: string[] = [];
  if (!credential) missing.push("Authorization header requires 'Credential' parameter.");
  if (!signature) missing.push("Authorization header requires 'Signature' parameter.");
  if (!signedHeaders) missing.push("Authorization header requires 'SignedHeaders' parameter.");
  if (!amzDate) missing.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  if (!credential || !signature || !signedHeaders || !amzDate) throw new ApiError('IncompleteSignature', missing.join(' '));
  const scopeParts = credential.split('/');
  if (scopeParts.length !== 5 || scopeParts.some((p) => p.length === 0)) {
    throw new ApiError('IncompleteSignature', `Credential should have the form <key id>/<date>/<region>/<service>/aws4_request.`);
  }
  const [accessKeyId, scopeDate, region, service, terminator] = scopeParts as [string, string, string, string, string];
  const headerNames = signedHeaders.split(';');
  if (!headerNames.includes('host')) {
    throw new ApiError('IncompleteSignature', "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  if (!/^[0-9a-f]{64}$/.test(signature)) {
    throw new ApiError('IncompleteSignature', 'The signature must be 64 lowercase hexadecimal characters.');
  }
  if (!/^\d{8}T\d{6}Z$/.test(amzDate)) {
    throw new ApiError('IncompleteSignature', `Date must be in ISO-8601 'basic format'. Got '${amzDate}'.`);
  }
  return {
    accessKeyId,
    scopeDate,
    region,
    service,
    terminator,
    scope: scopeParts.slice(1).join('/'),
    signedHeaders: headerNames,
    signature,
    amzDate,
  };
}

/** The signature must cover the body: the canonical request always carries the hash of the bytes received. */
function uncoveredBody(declaredHash: string): ApiError {
  if (/^[0-9a-f]{64}$/.test(declaredHash)) {
    return new ApiError('InvalidSignatureException', "The provided 'x-amz-content-sha256' header does not match what was computed.");
  }
  return new ApiError(
    'InvalidSignatureException',
    `The 'x-amz-content-sha256' value '${declaredHash.slice(0, 64)}' is not accepted: every request body must be covered by its signature (sign the SHA-256 of the body; UNSIGNED-PAYLOAD and streaming payloads are refused).`,
  );
}

/** Checks the request date against the clock (AWS's 5-minute window, either way). */
function checkClock(amzDate: string, now: number): void {
  const signedAt = Date.UTC(
    Number(amzDate.slice(0, 4)),
    Number(amzDate.slice(4, 6)) - 1,
    Number(amzDate.slice(6, 8)),
    Number(amzDate.slice(9, 11)),
    Number(amzDate.slice(11, 13)),
    Number(amzDate.slice(13, 15)),
  );
  if (Number.isNaN(signedAt)) throw new ApiError('IncompleteSignature', `Date must be in ISO-8601 'basic format'. Got '${amzDate}'.`);
  if (signedAt < now - MAX_CLOCK_SKEW_MS) {
    throw new ApiError(
      'InvalidSignatureException',
      `Signature expired: ${amzDate} is now earlier than ${isoBasicOf(now - MAX_CLOCK_SKEW_MS)} (${isoBasicOf(now)} - 5 min.)`,
    );
  }
  if (signedAt > now + MAX_CLOCK_SKEW_MS) {
    throw new ApiError(
      'InvalidSignatureException',
      `Signature not yet current: ${amzDate} is still later than ${isoBasicOf(now + MAX_CLOCK_SKEW_MS)} (${isoBasicOf(now)} + 5 min.)`,
    );
  }
}

function canonicalRequest(req: SignedRequest, signedHeaders: string[], payloadHash: string): string {
  const q = req.url.indexOf('?');
  const path = q < 0 ? req.url : req.url.slice(0, q);
  const query = q < 0 ? '' : req.url.slice(q + 1);
  const headerLines = signedHeaders.map((name) => `${name}:${canonicalHeaderValue(req.headers[name])}\n`).join('');
  return [req.method, canonicalPath(path), canonicalQuery(query), headerLines, signedHeaders.join(';'), payloadHash].join('\n');
}

/** Each path segment URI-encoded (RFC 3986 unreserved characters kept), as non-S3 services sign it. */
function canonicalPath(path: string): string {
  if (path === '' || path === '/') return '/';
  return path
    .split('/')
    .map((segment) => rfc3986(safeDecode(segment)))
    .map((segment) => rfc3986(segment))
    .join('/');
}

function canonicalQuery(query: string): string {
  if (query === '') return '';
  return query
    .split('&')
    .filter((p) => p.length > 0)
    .map((p) => {
      const eq = p.indexOf('=');
      const k = eq < 0 ? p : p.slice(0, eq);
      const v = eq < 0 ? '' : p.slice(eq + 1);
      return [rfc3986(safeDecode(k.replace(/\+/g, ' '))), rfc3986(safeDecode(v.replace(/\+/g, ' ')))] as const;
    })
    .sort(([ak, av], [bk, bv]) => (ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function canonicalHeaderValue(value: string | string[] | undefined): string {
  const joined = Array.isArray(value) ? value.join(',') : (value ?? '');
  return joined.trim().replace(/\s+/g, ' ');
}

function rfc3986(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

const keyCache = new Map<string, Buffer>();

function signingKey(secret: string, date: string, region: string, service: string): Buffer {
  const cacheKey = `${sha256Hex(Buffer.from(secret))}/${date}/${region}/${service}`;
  const cached = keyCache.get(cacheKey);
  if (cached) return cached;
  const kDate = createHmac('sha256', `AWS4${secret}`).update(date).digest();
  const kRegion = createHmac('sha256', kDate).update(region).digest();
  const kService = createHmac('sha256', kRegion).update(service).digest();
  const key = createHmac('sha256', kService).update('aws4_request').digest();
  if (keyCache.size > 1000) keyCache.clear();
  keyCache.set(cacheKey, key);
  return key;
}

function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function single(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

function isoBasic(httpDate: string | undefined): string | undefined {
  if (!httpDate) return undefined;
  const t = Date.parse(httpDate);
  return Number.isNaN(t) ? undefined : isoBasicOf(t);
}

function isoBasicOf(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}
