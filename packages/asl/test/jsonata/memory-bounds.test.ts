import { describe, expect, it } from 'vitest';
import { evaluateJsonataValue } from '../../src/jsonata/index.js';
import { scopeOf } from './scope.js';

const evaluate = (expression: string, payloadBytes?: number) =>
  evaluateJsonataValue(`{% ${expression} %}`, scopeOf({}, {}, payloadBytes !== undefined ? { payloadBytes } : {}), 'Output');
const memoryLimit = { error: 'States.QueryEvaluationError', cause: expect.stringContaining('Expression evaluation memory limit exceeded') };
const doubled = (times: number) => `($f := function($s, $n) { $n = 0 ? $s : $f($s & $s, $n - 1) }; $f("xxxx", ${times}))`;

// Each of these made V8 abort the whole process ("Fatal JavaScript invalid size error") or run it out of memory
// before the bounds existed: a test that fails on that code takes its test runner down with it.
describe('JSONata memory bounds keep the host alive (issue 18)', () => {
  it('refuses $pad widths past the bound before jsonata allocates, and pads within it', async () => {
    await expect(evaluate('$length($pad("", 200000000))')).rejects.toMatchObject(memoryLimit);
    await expect(evaluate('$pad("x", -5000000)')).rejects.toMatchObject(memoryLimit);
    expect(await evaluate('$length($pad("", 4194304))')).toBe(4_194_304);
    expect(await evaluate('$pad("ab", -5, "#")')).toBe('###ab');
  });

  it('refuses a string doubled past the bound as soon as it is built, before anything reads it', async () => {
    expect(await evaluate(`$length(${doubled(20)})`)).toBe(4 * 2 ** 20);
    await expect(evaluate(`$length(${doubled(26)})`)).rejects.toMatchObject(memoryLimit);
    await expect(evaluate(`$uppercase(${doubled(27)})`)).rejects.toMatchObject(memoryLimit);
  });

  it('scales the bound with the payload limit', async () => {
    await expect(evaluate(`$length(${doubled(13)})`, 1024)).rejects.toMatchObject(memoryLimit);
    expect(await evaluate(`$length(${doubled(13)})`, 1024 * 1024)).toBe(4 * 2 ** 13);
  });

  it('keeps within a 64th of the heap the host gives an evaluation, whatever the payload limit', async () => {
    const scope = (memoryBytes: number) => scopeOf({}, {}, { payloadBytes: 4 * 2 ** 20, memoryBytes });
    // A 64 MB heap allows strings of 2^20 characters; 256 MB, 2^22.
    await expect(evaluateJsonataValue(`{% $length(${doubled(19)}) %}`, scope(64 * 2 ** 20), 'Output')).rejects.toMatchObject(memoryLimit);
    expect(await evaluateJsonataValue(`{% $length(${doubled(18)}) %}`, scope(64 * 2 ** 20), 'Output')).toBe(2 ** 20);
    expect(await evaluateJsonataValue(`{% $length(${doubled(19)}) %}`, scope(256 * 2 ** 20), 'Output')).toBe(2 ** 21);
  });

  it('refuses $join and $string results past the bound without building them', async () => {
    const big = `($s := ${doubled(19)}; [1..1000] ~> $map(function() { $s }))`;
    await expect(evaluate(`$join(${big})`)).rejects.toMatchObject(memoryLimit);
    await expect(evaluate(`$string(${big})`)).rejects.toMatchObject(memoryLimit);
    expect(await evaluate('$join(["a", "b"], "-")')).toBe('a-b');
    expect(await evaluate('$string({"a": [1, 2]})')).toBe('{"a":[1,2]}');
  });

  it('refuses arrays past the bound', async () => {
    await expect(evaluate('$count([1..2000000])')).rejects.toMatchObject(memoryLimit);
    expect(await evaluate('$count([1..1000000])')).toBe(1_000_000);
  });

  it('refuses a result nested deeper than 1,000 levels with Jackson\'s message, whatever built it', async () => {
    const deepText = `${'['.repeat(1001)}${']'.repeat(1001)}`;
    await expect(evaluate(`$parse('${deepText}')`)).rejects.toMatchObject({
      error: 'States.QueryEvaluationError',
      cause: expect.stringContaining('Document nesting depth (1001) exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNestingDepth()`)'),
    });
    await expect(evaluate('$reduce([1..5000], function($acc, $v) { {"a": $acc} }, {})')).rejects.toMatchObject({
      cause: expect.stringContaining('Document nesting depth'),
    });
    const ok = await evaluate(`$parse('${'['.repeat(1000)}${']'.repeat(1000)}')`);
    expect(Array.isArray(ok)).toBe(true);
  });
});
