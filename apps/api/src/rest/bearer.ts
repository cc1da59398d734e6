/**
 * Bearer API keys for the REST surface (`Authorization: Bearer <key>`, keys from `BATON_API_KEYS`). Keys are
 * compared as SHA-256 digests in constant time, so neither their content nor their length leaks by timing.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiError } from '@baton/api-contract';

export class BearerKeys {
  private readonly digests: Buffer[];

  constructor(keys: readonly string[]) {
    this.digests = keys.map(digest);
  }

  get configured(): boolean {
    return this.digests.length > 0;
  }

  /** Throws `MissingAuthenticationToken` or `UnrecognizedClientException` unless the header carries a known key. */
  check(authorization: string | undefined): void {
    const match = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization) : null;
    if (!match?.[1]) throw new ApiError('MissingAuthenticationToken', 'Missing Authentication Token: send "Authorization: Bearer <API key>".');
    const given = digest(match[1]);
    let ok = false;
    for (const d of this.digests) ok = timingSafeEqual(d, given) || ok;
    if (!ok) throw new ApiError('UnrecognizedClientException', 'The API key included in the request is invalid.');
  }
}

export function parseApiKeys(text: string): string[] {
  const keys = text.split(',').map((k) => k.trim()).filter((k) => k.length > 0);
  keys.forEach((k, i) => {
    if (k.length < 16 || /\s/.test(k)) throw new Error(`API key #${i + 1} must be at least 16 characters without whitespace`);
  });
  return keys;
}

function digest(key: string): Buffer {
  return createHash('sha256').update(key).digest();
}
