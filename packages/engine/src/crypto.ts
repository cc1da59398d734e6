/**
 * Randomness and task tokens from node:crypto. Tokens carry 256 random bits (base64url, 43 characters); only
 * their SHA-256 hash is stored, so a database dump does not hand out live tokens.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { RandomSource } from '@baton/asl';

/** 48 random bits per draw, uniform in [0, 1). */
export const cryptoRandom: RandomSource = { next: () => randomBytes(6).readUIntBE(0, 6) / 2 ** 48 };

export function newTaskToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The shape of every token Baton hands out; anything else is `InvalidToken`. */
export function isWellFormedToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}
