/**
 * Opaque, tamper-proof pagination tokens: base64url(JSON) + "." + HMAC-SHA256, bound to the listing they came
 * from. Anything else is `InvalidToken` "Invalid Token: 'Invalid token'" (as AWS answers).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ApiError } from '@baton/api-contract';

export class PageTokens {
  private readonly key: Buffer;

  constructor(key?: string) {
    this.key = key ? Buffer.from(key) : randomBytes(32);
  }

  issue(scope: string, offset: number): string {
    const body = Buffer.from(JSON.stringify({ s: scope, o: offset })).toString('base64url');
    return `${body}.${this.sign(body)}`;
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
    const offset = this.read(scope, request.nextToken);
    const rows = await fetch({ offset, limit: limit + 1 });
    return {
      items: rows.slice(0, limit),
      ...(rows.length > limit ? { nextToken: this.issue(scope, offset + limit) } : {}),
    };
  }

  /** The offset a token stands for (0 without a token). */
  read(scope: string, token: string | undefined): number {
    if (token === undefined || token === '') return 0;
    const [body, mac] = token.split('.');
    if (!body || !mac) throw invalid();
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw invalid();
    const parsed = JSON.parse(Buffer.from(body, 'base64url').toString()) as { s?: unknown; o?: unknown };
    if (parsed.s !== scope || typeof parsed.o !== 'number' || parsed.o < 0) throw invalid();
    return parsed.o;
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}

function pageSize(maxResults: number | undefined): number {
  return maxResults === undefined || maxResults <= 0 ? 100 : Math.min(maxResults, 1000);
}

function invalid(): ApiError {
  return new ApiError('InvalidToken', "Invalid Token: 'Invalid token'");
}
