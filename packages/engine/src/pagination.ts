/**
 * Opaque, tamper-proof pagination tokens: base64url(JSON {s: scope, o: offset}) + "." + HMAC-SHA256, bound to the
 * listing they came from. Anything else, including a well-signed token whose fields are not exactly a scope
 * string and a non-negative safe integer offset, is `InvalidToken` "Invalid Token: 'Invalid token'" (as AWS
 * answers).
 *
 * The HMAC key is the same on every replica and across restarts, with no setting: it is generated once and kept
 * in the database (`signing_keys`, purpose `page-tokens`), read on first use. `BATON_PAGINATION_KEY` (the
 * `key` option) overrides it. There is no built-in key.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ApiError } from '@baton/api-contract';
import type { SigningKeyRepo } from './ports.js';

export const PAGE_TOKEN_KEY_PURPOSE = 'page-tokens';

export class PageTokens {
  private key: Promise<Buffer> | undefined;

  /** `key`: a configured secret; otherwise the key kept in `keys` (generated there by the first replica). */
  constructor(private readonly source: { key: string } | { keys: SigningKeyRepo }) {
    if ('key' in source && source.key.length === 0) throw new Error('the pagination key must not be empty');
  }

  async issue(scope: string, offset: number): Promise<string> {
    const body = Buffer.from(JSON.stringify({ s: scope, o: offset })).toString('base64url');
    return `${body}.${await this.sign(body)}`;
  }

  /**
   * One page of a listing: reads the token, fetches one row more than the page holds to learn whether another
   * page follows, and issues the next token if so. Page size: `maxResults` (AWS's default 100, at most 1000).
   */
  async page<T>(
    scope: string,
    request: { nextToken?: string | undefined; maxResults?: number | undefined },
    fetch: (range: { offset: number; limit: number }) => Promise<T[]>,
  ): Promise<{ items: T[]; nextToken?: string }> {
    const limit = pageSize(request.maxResults);
    const offset = await this.read(scope, request.nextToken);
    const rows = await fetch({ offset, limit: limit + 1 });
    return {
      items: rows.slice(0, limit),
      ...(rows.length > limit ? { nextToken: await this.issue(scope, offset + limit) } : {}),
    };
  }

  /** The offset a token stands for (0 without a token). */
  async read(scope: string, token: string | undefined): Promise<number> {
    if (token === undefined || token === '') return 0;
    const parts = token.split('.');
    if (parts.length !== 2) throw invalid();
    const [body, mac] = parts as [string, string];
    const expected = Buffer.from(await this.sign(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalid();
    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      throw invalid();
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid();
    const { s, o, ...rest } = parsed as { s?: unknown; o?: unknown };
    if (Object.keys(rest).length > 0 || s !== scope) throw invalid();
    if (typeof o !== 'number' || !Number.isSafeInteger(o) || o < 0) throw invalid();
    return o;
  }

  private async sign(body: string): Promise<string> {
    return createHmac('sha256', await this.signingKey()).update(body).digest('base64url');
  }

  private signingKey(): Promise<Buffer> {
    if (!this.key) {
      const source = this.source;
      this.key = 'key' in source
        ? Promise.resolve(Buffer.from(source.key))
        : source.keys.getOrCreate(PAGE_TOKEN_KEY_PURPOSE, randomBytes(32).toString('base64url')).then((k) => Buffer.from(k, 'base64url'));
      // A database hiccup must not stick: the next listing tries again.
      this.key.catch(() => (this.key = undefined));
    }
    return this.key;
  }
}

function pageSize(maxResults: number | undefined): number {
  return maxResults === undefined || maxResults <= 0 ? 100 : Math.min(maxResults, 1000);
}

function invalid(): ApiError {
  return new ApiError('InvalidToken', "Invalid Token: 'Invalid token'");
}
