import { describe, expect, it } from 'vitest';
import { IntrinsicSyntaxError, isIntrinsicCall, parseIntrinsic } from '../../src/intrinsics/index.js';

describe('isIntrinsicCall', () => {
  it('recognises the States.Xxx(...) shape', () => {
    expect(isIntrinsicCall('States.UUID()')).toBe(true);
    expect(isIntrinsicCall("  States.Format('{}', $.a) ")).toBe(true);
    expect(isIntrinsicCall('$.States.Format')).toBe(false);
    expect(isIntrinsicCall('States.Format')).toBe(false);
    expect(isIntrinsicCall('Hello')).toBe(false);
  });
});

describe('parseIntrinsic', () => {
  it('parses every kind of argument', () => {
    const call = parseIntrinsic("States.Array('a\\'b', -1.5, 2e3, true, false, null, $.x[0], $$.Execution.Id, $myVar.f, States.UUID())");
    expect(call.name).toBe('States.Array');
    expect(call.args).toEqual([
      { kind: 'string', value: "a'b", raw: "a\\'b" },
      { kind: 'number', value: -1.5 },
      { kind: 'number', value: 2000 },
      { kind: 'boolean', value: true },
      { kind: 'boolean', value: false },
      { kind: 'null' },
      { kind: 'path', path: '$.x[0]' },
      { kind: 'path', path: '$$.Execution.Id' },
      { kind: 'path', path: '$myVar.f' },
      { kind: 'call', call: { name: 'States.UUID', args: [], text: 'States.UUID()' } },
    ]);
  });

  it('keeps commas and parentheses inside a path or a string', () => {
    const call = parseIntrinsic("States.Array($['a,b'], $.l[?(@.x == 1)], 'x,y)')");
    expect(call.args).toEqual([
      { kind: 'path', path: "$['a,b']" },
      { kind: 'path', path: '$.l[?(@.x == 1)]' },
      { kind: 'string', value: 'x,y)', raw: 'x,y)' },
    ]);
  });

  it('resolves the four escapes and keeps the raw text for States.Format', () => {
    const arg = parseIntrinsic("States.Format('\\{\\} \\\\ \\' {}', 1)").args[0];
    expect(arg).toEqual({ kind: 'string', value: "{} \\ ' {}", raw: "\\{\\} \\\\ \\' {}" });
  });

  it('accepts unescaped braces and real newlines inside a literal', () => {
    expect(parseIntrinsic(`States.StringToJson('{"a": 1}')`).args[0]).toMatchObject({ value: '{"a": 1}' });
    expect(parseIntrinsic("States.StringSplit('Hello\nWorld', '\n')").args[1]).toMatchObject({ value: '\n' });
  });

  it('records the text of nested calls', () => {
    const call = parseIntrinsic("States.ArrayGetItem(States.StringSplit($.s, '-'), 0)");
    expect(call.text).toBe("States.ArrayGetItem(States.StringSplit($.s, '-'), 0)");
    expect(call.args[0]).toMatchObject({ kind: 'call', call: { text: "States.StringSplit($.s, '-')" } });
  });

  it.each([
    ['States.Nope()', 'unknown function'],
    ['States.UUID(1)', 'too many arguments'],
    ['States.ArrayRange(1, 2)', 'too few arguments'],
    ['States.Hash($.a)', 'too few arguments'],
    ['States.MathRandom(1, 2, 3, 4)', 'too many arguments'],
    ["States.Format('a\\nb')", 'an unknown escape'],
    ["States.Format('open)", 'an unterminated string'],
    ['States.Array(1 2)', 'a missing comma'],
    ['States.Array(1,)', 'an empty argument'],
    ['States.Array(abc)', 'a bare word'],
    ['States.Array($.a b)', 'an invalid path'],
    ['States.Array(1) x', 'text after the call'],
    ['States.Format()', 'no format string'],
  ])('rejects %j (%s)', (text) => {
    expect(() => parseIntrinsic(text)).toThrow(IntrinsicSyntaxError);
  });
});
