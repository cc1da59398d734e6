/**
 * Developer mode's defence against cross-site requests. With authentication off, any web page the developer
 * opens could otherwise drive Baton (and the tasks it runs with the developer's AWS credentials): a `text/plain`
 * POST is a "simple" request that browsers send cross-site without asking, and DNS rebinding lets a page at
 * attacker.example reach 127.0.0.1 under its own name, same-origin as far as the browser knows. So, with
 * authentication off, every request must pass three checks (in this order):
 *
 * 1. `Host` names the loopback interface: `localhost`, an IPv4 literal in 127.0.0.0/8, or `[::1]`, with or
 *    without a port (also with StartSyncExecution's `sync-` host prefix). Any other name is one an attacker's DNS could point at 127.0.0.1 (an IP literal cannot be
 *    rebound). Refused: `AccessDeniedException`.
 * 2. `Origin`, when present, is the server's own origin: http(s) with exactly the host and port of `Host`.
 *    Browsers send `Origin` on every POST and every cross-origin fetch; `null` (sandboxed frames, file: pages)
 *    and foreign origins are refused: `AccessDeniedException`. The console, served by this server, is
 *    same-origin.
 * 3. Every state-changing request (any method but GET, HEAD and OPTIONS: `POST /` and the REST writes) declares
 *    a JSON body: `application/json`, `application/x-amz-json-1.0` or `application/x-amz-json-1.1` (parameters
 *    such as `charset` allowed). A page can send those cross-site only after a CORS preflight, which this
 *    server never approves. Refused: `UnsupportedMediaTypeException` (415, the name AWS Lambda gives a body
 *    that is not JSON).
 *
 * With authentication on, requests carry a signature or a bearer key a foreign page cannot forge or attach
 * without a preflight, so these checks are not needed there (and are not applied: REST clients with keys may
 * send any content type).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from '@baton/api-contract';

const JSON_MEDIA_TYPES = new Set(['application/json', 'application/x-amz-json-1.0', 'application/x-amz-json-1.1']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const IPV4_LOOPBACK = /^127\.(25[0-5]|2[0-4]\d|1?\d?\d)\.(25[0-5]|2[0-4]\d|1?\d?\d)\.(25[0-5]|2[0-4]\d|1?\d?\d)$/;
/** `name` or `name:port`, where name is a DNS name, an IPv4 literal or a bracketed IPv6 literal. */
const HOST_HEADER = /^(\[[0-9a-f:.]+\]|[^[\]:/\s]+)(?::(\d{1,5}))?$/i;

/** Why a developer-mode request is refused, or undefined when it may proceed. */
export function developerModeRefusal(method: string, headers: IncomingHttpHeaders): ApiError | undefined {
  const host = single(headers.host);
  if (!isLoopbackHost(host)) {
    return new ApiError(
      'AccessDeniedException',
      `Host ${quote(host)} is not a loopback name: with authentication off (developer mode) Baton only answers ` +
        'requests addressed to localhost, 127.0.0.1 or [::1] (protection against DNS rebinding).',
    );
  }
  const origin = single(headers.origin);
  if (origin !== undefined && !isOwnOrigin(origin, host!)) {
    return new ApiError(
      'AccessDeniedException',
      `Origin ${quote(origin)} is not this server's own origin (http://${host}): with authentication off ` +
        '(developer mode) Baton refuses cross-site requests.',
    );
  }
  if (!SAFE_METHODS.has(method) && !isJsonMediaType(single(headers['content-type']))) {
    return new ApiError(
      'UnsupportedMediaTypeException',
      `Content-Type ${quote(single(headers['content-type']))} is not accepted: with authentication off (developer ` +
        'mode) every request that changes something must be sent as application/json or ' +
        'application/x-amz-json-1.0 (or -1.1).',
    );
  }
  return undefined;
}

export function isLoopbackHost(host: string | undefined): boolean {
  const m = host === undefined ? null : HOST_HEADER.exec(host);
  if (!m) return false;
  const name = m[1]!.toLowerCase();
  if (m[2] !== undefined && Number(m[2]) > 65535) return false;
  if (name === 'localhost' || name === '[::1]' || IPV4_LOOPBACK.test(name)) return true;
  // The SDKs and the AWS CLI send StartSyncExecution to the `sync-` host prefix of the endpoint: through an
  // HTTP_PROXY pointing at Baton (the CLI's way, see the README) the Host is then `sync-127.0.0.1:8080`. Such a
  // name has no public DNS form (its last label is a number, or it is the single label `sync-localhost`), so a
  // rebinding page cannot be served under it.
  const bare = name.startsWith('sync-') ? name.slice('sync-'.length) : undefined;
  return bare !== undefined && (bare === 'localhost' || IPV4_LOOPBACK.test(bare));
}

/** The Origin a browser sends for a page served by this server: its scheme, and exactly the host and port of Host. */
function isOwnOrigin(origin: string, host: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false; // `null`, or not a URL
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  if (parsed.origin !== origin.toLowerCase().replace(/\/$/, '')) return false; // a path, credentials or a query
  let expected: URL;
  try {
    expected = new URL(`${parsed.protocol}//${host}`);
  } catch {
    return false;
  }
  return parsed.host === expected.host;
}

function isJsonMediaType(contentType: string | undefined): boolean {
  const essence = contentType?.split(';')[0]?.trim().toLowerCase();
  return essence !== undefined && JSON_MEDIA_TYPES.has(essence);
}

function single(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** The refused value, quoted and shortened: it is the client's own text, echoed only to that client. */
function quote(value: string | undefined): string {
  if (value === undefined) return '(none)';
  return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}...` : value);
}
