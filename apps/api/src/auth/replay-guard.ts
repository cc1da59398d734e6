/**
 * Refuses a signed request seen before. A SigV4 signature is valid for the whole clock-skew window, so a
 * captured request could be sent again within it; remembering each accepted signature until its window has
 * passed closes that. (SDKs sign every attempt anew: the signed `amz-sdk-request` attempt header and the
 * invocation id differ, so honest retries never collide.) Memory is bounded: beyond `maxEntries` the oldest
 * entries go first.
 */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();

  constructor(private readonly maxEntries = 200_000) {}

  /** Records `signature` until `expiresAt` (epoch ms); false when it was already recorded and unexpired. */
  firstUse(signature: string, expiresAt: number, now: number): boolean {
    this.sweep(now);
    const known = this.seen.get(signature);
    if (known !== undefined && known > now) return false;
    this.seen.set(signature, expiresAt);
    while (this.seen.size > this.maxEntries) {
      const oldest = this.seen.keys().next();
      if (oldest.done) break;
      this.seen.delete(oldest.value);
    }
    return true;
  }

  private lastSweep = 0;

  private sweep(now: number): void {
    if (now - this.lastSweep < 10_000) return;
    this.lastSweep = now;
    for (const [sig, expiresAt] of this.seen) if (expiresAt <= now) this.seen.delete(sig);
  }
}
