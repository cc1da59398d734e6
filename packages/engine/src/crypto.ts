/**
 * Randomness and task tokens from node:crypto. Tokens carry 256 random bits (base64url, 43 characters); only
 * their SHA-256 hash is stored, so a database dump does not hand out live tokens.
 */
import { createCipheriv, createHash, randomBytes, randomFillSync } from 'node:crypto';
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

/** What the seeded source's cipher encrypts (only read). */
const ZEROS = Buffer.alloc(6 * 64);

/**
 * A crypto-strength random source drawn from a 32-byte seed (AES-256-CTR over zeros): the same seed gives the
 * same draws, so a step tried again after an evaluation went over budget numbers its evaluations the same way
 * (a `$random()` in a Choice decides the same branch), and nothing guessable is handed out.
 */
export function seededCryptoRandom(seed: Uint8Array): RandomSource {
  // Made at the first draw: most steps draw nothing, and a cipher costs more than the rest of a small step's setup.
  let stream: ReturnType<typeof createCipheriv> | undefined;
  let block = Buffer.alloc(0);
  let at = 0;
  return {
    next() {
      if (at + 6 > block.length) {
        stream ??= createCipheriv('aes-256-ctr', seed, Buffer.alloc(16));
        block = stream.update(ZEROS);
        at = 0;
      }
      const v = block.readUIntBE(at, 6) / 2 ** 48;
      at += 6;
      return v;
    },
  };
}

/** Seeds are cut from a block drawn at once (a draw costs about as much for 32 bytes as for 4 KB). */
const seeds = new Uint8Array(32 * 128);
let seedAt = seeds.length;

/** A new 32-byte seed (its own copy: the block is drawn again once it is used up). */
export function newSeed(): Uint8Array {
  if (seedAt === seeds.length) {
    randomFillSync(seeds);
    seedAt = 0;
  }
  seedAt += 32;
  return seeds.slice(seedAt - 32, seedAt);
}
