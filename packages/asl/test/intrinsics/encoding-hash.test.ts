import { describe, expect, it } from 'vitest';
import { detail, run } from './helpers.js';

describe('States.Base64Encode / States.Base64Decode', () => {
  it('encode and decode UTF-8 text', () => {
    expect(run('States.Base64Encode($.s)', { s: 'Data to encode' })).toBe('RGF0YSB0byBlbmNvZGU=');
    expect(run("States.Base64Encode('')")).toBe('');
    expect(run("States.Base64Encode('>>>?')")).toBe('Pj4+Pw==');
    expect(run("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')")).toBe('Data to encode');
    expect(run('States.Base64Decode(States.Base64Encode($.s))', { s: 'héllo ☃' })).toBe('héllo ☃');
  });

  it('limit the input to 10,000 characters', () => {
    expect(run('States.Base64Encode($.s)', { s: 'a'.repeat(10_000) })).toHaveLength(13_336);
    expect(detail('States.Base64Encode($.s)', { s: 'a'.repeat(10_001) })).toBe(
      'The input to States.Base64Encode must be at most 10000 characters long, but was 10001 characters long',
    );
    expect(detail('States.Base64Decode($.s)', { s: 'A'.repeat(10_004) })).toMatch(/at most 10000 characters/);
  });

  it('reject invalid Base64 and non-strings', () => {
    expect(detail("States.Base64Decode('not base64!!')")).toBe('The input to States.Base64Decode is not valid Base64: not base64!!');
    expect(detail('States.Base64Encode($.n)', { n: 5 })).toBe('The first argument of States.Base64Encode must be a string, but was number: 5');
  });
});

describe('States.Hash', () => {
  it.each([
    ['MD5', '812f45842bc6d66ee14572ce20db8e86'],
    ['SHA-1', 'aaff4a450a104cd177d28d18d74485e8cae074b7'],
    ['SHA-256', 'b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3'],
    ['SHA-384', 'd28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562'],
    [
      'SHA-512',
      '6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4',
    ],
  ])('hashes with %s', (algorithm, digest) => {
    expect(run('States.Hash($.d, $.a)', { d: 'input data', a: algorithm })).toBe(digest);
  });

  it('accepts only the five algorithm names as written, and string data', () => {
    expect(detail("States.Hash('x', 'sha-256')")).toBe(
      'The second argument of States.Hash must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512, but was string: "sha-256"',
    );
    expect(detail("States.Hash($.o, 'MD5')", { o: { a: 1 } })).toMatch(/first argument of States.Hash must be a string/);
    expect(detail("States.Hash($.s, 'MD5')", { s: 'x'.repeat(10_001) })).toMatch(/at most 10000 characters/);
  });
});
