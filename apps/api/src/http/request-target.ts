/**
 * The request target as the routes see it. RFC 9112 (section 3.2.2) requires a server to accept the absolute form
 * (`POST http://sync-127.0.0.1:8080/ HTTP/1.1`), which clients send to what they take for an HTTP proxy. This is
 * what lets an AWS CLI without a switch to turn off host prefixes reach StartSyncExecution: the CLI addresses it
 * to `sync-<endpoint host>`, a name that usually does not resolve, and with `HTTP_PROXY` set to Baton's own URL
 * the CLI hands the request to Baton without resolving that name. Only the path and query are routed on (and
 * signed: SigV4's canonical URI is the path).
 */
export function originForm(target: string): string {
  // Not `new URL()`: WHATWG URL parsing refuses `sync-127.0.0.1` (a host ending in a number must be an IPv4 address).
  const m = /^https?:\/\/[^/?#]*(.*)$/is.exec(target);
  if (!m) return target;
  const rest = m[1]!;
  return rest.startsWith('/') ? rest : `/${rest}`;
}
