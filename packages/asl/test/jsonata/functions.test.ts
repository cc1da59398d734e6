import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { QueryEvaluationError, evaluateJsonataValue, MAX_RANGE_ELEMENTS } from '../../src/jsonata/index.js';
import type { Json } from '../../src/json.js';
import { seededRandom } from '../../src/random.js';
import { scopeOf } from './scope.js';

const scope = scopeOf({ input: { list: [1, 2, 3, 4, 5], text: 'Hash this string' } });
const run = (expr: string, s = scope) => evaluateJsonataValue(`{% ${expr} %}`, s, 'Output');

async function cause(expr: string, s = scope): Promise<string> {
  try {
    await run(expr, s);
  } catch (e) {
    if (e instanceof QueryEvaluationError) return e.cause ?? '';
    throw e;
  }
  throw new Error(`expected ${expr} to fail`);
}
const detail = async (expr: string) => (await cause(expr)).replace(/^.* threw an error during evaluation\. /, '');

describe('$partition', () => {
  it('splits an array into chunks, the last one holding the rest', async () => {
    expect(await run('$partition($states.input.list, 2)')).toEqual([[1, 2], [3, 4], [5]]);
    expect(await run('$partition([0], 1)')).toEqual([[0]]);
    expect(await run('$partition([0, 1], 5)')).toEqual([[0, 1]]);
    expect(await run('$partition([1, 2, 3], 2.9)')).toEqual([[1, 2], [3]]);
  });

  it('gives nothing for an empty array or a zero chunk size', async () => {
    expect(await cause('$partition([], 2)')).toContain('returned nothing (undefined)');
    expect(await cause('$partition([1], 0)')).toContain('returned nothing (undefined)');
  });

  it('words its argument errors as jsonata does', async () => {
    expect(await detail('$partition("abc", 1)')).toBe('T0412: Argument 1 of function "partition" must be an array of undefined');
    expect(await detail('$partition([1], "2")')).toBe('T0410: Argument 2 of function "partition" does not match function signature');
    expect(await detail('$partition([1], -1)')).toBe('D3137: Second argument must be zero or greater');
    expect(await detail('$partition([1], 1, 1)')).toBe('T0410: Argument 3 of function "partition" does not match function signature');
  });
});

describe('$range', () => {
  it('counts from start by step, including end when a step lands on it', async () => {
    expect(await run('$range(0, 9, 3)')).toEqual([0, 3, 6, 9]);
    expect(await run('$range(0, 10, 3)')).toEqual([0, 3, 6, 9]);
    expect(await run('$range(1, 9, 2)')).toEqual([1, 3, 5, 7, 9]);
    expect(await run('$range(5, 1, -2)')).toEqual([5, 3, 1]);
    expect(await run('$range(-1.7, 2, 1)')).toEqual([-1, 0, 1, 2]);
  });

  it('collapses a single value to the bare number, as AWS records', async () => {
    expect(await run('$range(1, 9, 9)')).toBe(1);
    expect(await run('$range(4, 4, 1)')).toBe(4);
  });

  it('gives nothing without a step, with a zero step or a step pointing away from end', async () => {
    for (const e of ['$range(1, 5)', '$range(1, 5, 0)', '$range(5, 1, 1)', '$range(1, 5, -1)']) {
      expect(await cause(e)).toContain('returned nothing (undefined)');
    }
  });

  it('rejects non-numbers and ranges larger than AWS builds', async () => {
    expect(await detail('$range("a", 5, 1)')).toBe('T0410: Argument 1 of function "range" does not match function signature');
    expect(await detail('$range(1, 5, "x")')).toBe('T0410: Argument 3 of function "range" does not match function signature');
    expect(await detail(`$range(1, ${MAX_RANGE_ELEMENTS + 1}, 1)`)).toBe('Expression evaluation memory limit exceeded');
    expect(((await run(`$range(1, ${MAX_RANGE_ELEMENTS}, 1)`)) as number[]).length).toBe(MAX_RANGE_ELEMENTS);
  });
});

describe('$hash', () => {
  it('hashes the UTF-8 text with the five AWS algorithms, as lowercase hex', async () => {
    const algorithms: Record<string, string> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };
    for (const [aws, node] of Object.entries(algorithms)) {
      const expected = createHash(node).update('Hash this string €', 'utf8').digest('hex');
      expect(await run(`$hash($states.input.text & " €", "${aws}")`)).toBe(expected);
    }
    expect(await run('$hash("abc", "MD5")')).toBe('900150983cd24fb0d6963f7d28e17f72');
  });

  it('refuses other algorithm names, case included', async () => {
    expect(await detail('$hash("abc", "sha256")')).toBe("D3137: Hash algorithm 'sha256' must be one of SHA-1, SHA-384, SHA-256, SHA-512, MD5");
    expect(await detail('$hash(1, "MD5")')).toBe('T0410: Argument 1 of function "hash" does not match function signature');
    expect(await cause('$hash("abc")')).toContain('returned nothing (undefined)');
  });
});

describe('$random and $uuid', () => {
  it('answers java.util.Random(seed).nextDouble() for a seed', async () => {
    expect(await run('$random(42)')).toBe(0.7275636800328681);
    expect(await run('$random(0)')).toBe(0.730967787376657);
    expect(await run('$random(42.9)')).toBe(0.7275636800328681);
    expect(await run('[$random(7), $random(7)]')).toEqual([await run('$random(7)'), await run('$random(7)')]);
  });

  it('draws from the scope random source without a seed', async () => {
    const a = await run('$random()', scopeOf({}, {}, { random: seededRandom(99) }));
    const b = await run('$random()', scopeOf({}, {}, { random: seededRandom(99) }));
    const expected = seededRandom(99).next();
    expect(a).toBe(expected);
    expect(b).toBe(expected);
  });

  it('rejects a non-numeric seed and extra arguments', async () => {
    expect(await detail('$random("x")')).toBe('T0410: Argument 1 of function "random" does not match function signature');
    expect(await detail('$uuid(1)')).toBe('T0410: Argument 1 of function "uuid" does not match function signature');
  });

  it('makes version 4 UUIDs from the scope random source', async () => {
    const u1 = await run('$uuid()', scopeOf({}, {}, { random: seededRandom(5) }));
    const u2 = await run('$uuid()', scopeOf({}, {}, { random: seededRandom(5) }));
    expect(u1).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(u1).toBe(u2);
    expect(await run('$uuid()', scopeOf({}, {}, { random: seededRandom(6) }))).not.toBe(u1);
  });
});

describe('$parse', () => {
  it('deserializes JSON text of any type', async () => {
    const cases: [string, Json][] = [['-0', 0], ['1.1', 1.1], ['true', true], ['"HelloWorld"', 'HelloWorld'], ['[1, 2, "x"]', [1, 2, 'x']], ['{"Arg1": 1, "Arg2": []}', { Arg1: 1, Arg2: [] }]];
    for (const [text, value] of cases) {
      expect(await run('$parse($states.input.t)', scopeOf({ input: { t: text } }))).toEqual(value);
    }
  });

  it('refuses text that is not JSON', async () => {
    expect(await detail('$parse("{a}")')).toBe('D3137: Invalid JSON');
    expect(await detail('$parse("")')).toBe('D3137: Invalid JSON');
    expect(await detail('$parse(1)')).toBe('T0410: Argument 1 of function "parse" does not match function signature');
  });
});

describe('clock and shuffle come from the scope', () => {
  it('answers $now() and $millis() from scope.now', async () => {
    const s = scopeOf({}, {}, { now: Date.UTC(2024, 0, 2, 3, 4, 5, 6) });
    expect(await run('$now()', s)).toBe('2024-01-02T03:04:05.006Z');
    expect(await run('$millis()', s)).toBe(Date.UTC(2024, 0, 2, 3, 4, 5, 6));
    expect(await run('$now("[Y0001]-[M01]")', s)).toBe('2024-01');
  });

  it('shuffles with the scope random source', async () => {
    const a = await run('$shuffle([1,2,3,4,5,6,7,8])', scopeOf({}, {}, { random: seededRandom(3) }));
    const b = await run('$shuffle([1,2,3,4,5,6,7,8])', scopeOf({}, {}, { random: seededRandom(3) }));
    expect(a).toEqual(b);
    expect([...(a as number[])].sort()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });
});
