/**
 * Randomness arrives as an input: the interpreter never draws from the host (no global random generator, no crypto).
 * The engine passes a crypto-backed source; tests pass a seeded one and get the same results every run.
 */
export interface RandomSource {
  /** A uniform float in [0, 1). */
  next(): number;
}

/** A small deterministic generator (mulberry32) for tests and for seeded functions. */
export function seededRandom(seed: number): RandomSource {
  let a = seed >>> 0;
  return {
    next() {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    },
  };
}

/** A version 4 UUID built from the given source (RFC 4122 layout). */
export function randomUuid(random: RandomSource): string {
  const bytes: number[] = [];
  for (let i = 0; i < 16; i++) bytes.push(Math.floor(random.next() * 256) & 0xff);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
