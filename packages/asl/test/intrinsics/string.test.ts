import { describe, expect, it } from 'vitest';
import { detail, run } from './helpers.js';

describe('States.StringSplit', () => {
  it.each([
    [' ', ',', [' ']],
    [' , ', ',', [' ', ' ']],
    [', , ,', ',', [' ', ' ']],
    [',,,,', ',', []],
    ['1,2,3', ',', ['1', '2', '3']],
    ['This.is+a,test=string', '.+,=', ['This', 'is', 'a', 'test', 'string']],
    ['split on T and \nnew line', 'T\n', ['split on ', ' and ', 'new line']],
    ['a😀b', '😀', ['a', 'b']],
  ])('splits %j on any of %j', (s, d, pieces) => {
    expect(run('States.StringSplit($.s, $.d)', { s, d })).toEqual(pieces);
  });

  it('needs strings', () => {
    expect(detail("States.StringSplit($.n, ',')", { n: 7 })).toBe('The first argument of States.StringSplit must be a string, but was number: 7');
  });
});

describe('States.Format', () => {
  it('replaces each {} with the next argument', () => {
    expect(run("States.Format('Hello, my name is {}.', $.name)", { name: 'Arnav' })).toBe('Hello, my name is Arnav.');
    expect(run('States.Format($.template, $.name)', { name: 'Arnav', template: 'Hello, my name is {}.' })).toBe('Hello, my name is Arnav.');
    expect(run("States.Format('no placeholders')")).toBe('no placeholders');
  });

  it('prints values as AWS does', () => {
    const input = { s: '', n: 1.1, z: null, o: { Arg1: 1, Arg2: [] }, l: ['a', 2] };
    expect(run("States.Format('[{}|{}|{}|{}|{}]', $.s, $.n, $.z, $.o, $.l)", input)).toBe('[|1.1|null|{Arg1=1, Arg2=[]}|[a, 2]]');
    expect(run("States.Format('{} and {}', $$.Execution.Name, $$.StateMachine)")).toBe('exec-1 and {Name=My-Machine-1}');
  });

  it('treats escaped braces, quotes and backslashes as text', () => {
    expect(run("States.Format('\\{\\} is literal, {} is not', 'this')")).toBe('{} is literal, this is not');
    expect(run("States.Format('it\\'s {}\\\\', 'ok')")).toBe("it's ok\\");
  });

  it('needs as many arguments as placeholders, and a string template', () => {
    expect(detail("States.Format('{} {}', 1)")).toBe('The number of arguments (1) does not match the number of placeholders {} (2) in the format string');
    expect(detail("States.Format('{}', 1, 2)")).toMatch(/arguments \(2\) does not match the number of placeholders \{\} \(1\)/);
    expect(detail('States.Format($.n)', { n: 3 })).toMatch(/first argument of States.Format must be a string/);
  });
});

describe('intrinsic failures', () => {
  it('report an argument path that matches nothing, naming the whole expression and the input', () => {
    expect(detail("States.Format('{}', $.nope)", { other: 1 })).toBe(`The JsonPath argument for the field '$.nope' could not be found in the input '{"other":1}'`);
    expect(detail('States.Array(States.Array($.a.b))', { other: 1 })).toMatch(/field '\$.a.b' could not be found/);
    expect(detail("States.Format('{}', $.items[5])", { items: [1, 2] })).toMatch(/field '\$.items\[5\]' could not be found/);
    expect(detail("States.Format('{}', $$.Nope)", { other: 1 })).toMatch(/field '\$.Nope' could not be found in the input '\{"other":1\}'/);
  });

  it('let a present null through', () => {
    expect(run("States.Format('{}', $.n)", { n: null })).toBe('null');
  });

  it('nest calls', () => {
    const text = "States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), States.MathAdd(States.ArrayLength(States.StringSplit($$.StateMachine.Name, '-')), -1))";
    expect(run(text)).toBe('1');
    expect(run("States.ArrayGetItem(States.StringSplit($$.StateMachine.Name, '-'), 0)")).toBe('My');
  });
});
