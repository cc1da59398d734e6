import { describe, expect, it } from 'vitest';
import type { Json } from '../../src/json.js';
import { queryJsonPath, queryPath, type PathScope } from '../../src/path/index.js';
import { seededRandom } from '../../src/random.js';

const store: Json = {
  store: {
    book: [
      { category: 'reference', author: 'Rees', title: 'Sayings', price: 8.95 },
      { category: 'fiction', author: 'Waugh', title: 'Sword', price: 12.99 },
      { category: 'fiction', author: 'Melville', title: 'Moby Dick', isbn: '0-553', price: 8.99 },
      { category: 'fiction', author: 'Tolkien', title: 'Rings', isbn: '0-395', price: 22.99 },
    ],
    bicycle: { color: 'red', price: 19.95 },
  },
  expensive: 10,
};

function value(path: string, data: Json = store): Json {
  const r = queryJsonPath(path, data);
  if (!r.found) throw new Error(`not found: ${path} (${r.reason})`);
  return r.value;
}

function miss(path: string, data: Json = store, strict = false): string | undefined {
  const r = queryJsonPath(path, data, { strict });
  if (r.found) throw new Error(`found ${JSON.stringify(r.value)} for ${path}`);
  return r.reason;
}

describe('definite paths', () => {
  it('give the node they name', () => {
    expect(value('$')).toBe(store);
    expect(value('$.expensive')).toBe(10);
    expect(value("$['store']['bicycle'].color")).toBe('red');
    expect(value('$.store.book[1].author')).toBe('Waugh');
    expect(value('$.store.book[-1].title')).toBe('Rings');
    expect(value('$.a', { a: null })).toBeNull();
  });

  it('miss with the reason Jayway gives', () => {
    expect(miss('$.nope')).toBe("No results for path: $['nope']");
    expect(miss('$.nope.deeper')).toBe("Missing property in path $['nope']");
    expect(miss('$.expensive.x')).toMatch(/^Expected to find an object with property \['x'\] in path \$\['expensive'\] but found 'java.lang.Integer'/);
    expect(miss('$.expensive[0]')).toBe('Filter: [0] can only be applied to arrays. Current context is: 10');
  });

  it('read an index past the end as null, or as a miss when asked', () => {
    expect(value('$.l[5]', { l: [1, 2] })).toBeNull();
    expect(value('$.l[-3]', { l: [1, 2] })).toBeNull();
    expect(queryJsonPath('$.l[5]', { l: [1, 2] }, { missingIndex: 'none' })).toMatchObject({ found: false });
  });

  it('merge a multi-property leaf into one object', () => {
    expect(value("$.store.bicycle['color','price','none']")).toEqual({ color: 'red', price: 19.95 });
  });
});

describe('indefinite paths', () => {
  it('collect every match in document order', () => {
    expect(value('$.store.book[*].author')).toEqual(['Rees', 'Waugh', 'Melville', 'Tolkien']);
    expect(value('$.store.*')).toEqual([(store as any).store.book, (store as any).store.bicycle]);
    expect(value('$.store..price')).toEqual([8.95, 12.99, 8.99, 22.99, 19.95]);
    expect(value('$..author')).toEqual(['Rees', 'Waugh', 'Melville', 'Tolkien']);
    expect(value('$.store.book[0,2].title')).toEqual(['Sayings', 'Moby Dick']);
  });

  it('slice as Jayway does', () => {
    const l = { l: [0, 1, 2, 3, 4] };
    expect(value('$.l[1:3]', l)).toEqual([1, 2]);
    expect(value('$.l[:2]', l)).toEqual([0, 1]);
    expect(value('$.l[-2:]', l)).toEqual([3, 4]);
    expect(value('$.l[2:]', l)).toEqual([2, 3, 4]);
    expect(value('$.l[:-1]', l)).toEqual([0, 1, 2, 3]);
    expect(value('$.l[1:99]', l)).toEqual([1, 2, 3, 4]);
    expect(value('$.l[9:]', l)).toEqual([]);
    // Jayway's between-slice takes negative bounds index by index.
    expect(value('$.l[-2:-1]', l)).toEqual([3]);
  });

  it('give [] when nothing matches, even through a missing property', () => {
    expect(value('$.item.items[*]', {})).toEqual([]);
    expect(value('$.items[1:5].itemValue', {})).toEqual([]);
    expect(value('$[*]', {})).toEqual([]);
    expect(value('$.l[*].x', { l: [{ x: 1 }, { y: 2 }, 3] })).toEqual([1]);
  });

  it('fail on a missing property when strict (InputPath / OutputPath)', () => {
    expect(miss('$.item.items[*]', {}, true)).toBe("Missing property in path $['item']");
    expect(queryJsonPath('$.l[*]', { l: [] }, { strict: true })).toEqual({ found: true, value: [] });
  });

  it('run tail functions', () => {
    expect(value('$.store.book.length()')).toBe(4);
    expect(value('$.store.book[*].price.max()')).toBe(22.99);
    expect(value('$.l.sum()', { l: [1, 2, 3] })).toBe(6);
    expect(value('$.l.avg()', { l: [1, 2, 3] })).toBe(2);
    expect(value('$.store.bicycle.keys()')).toEqual(['color', 'price']);
    expect(queryJsonPath('$.l.min()', { l: [] })).toMatchObject({ found: false });
  });
});

describe('filters', () => {
  const titles = (filter: string) => value(`$.store.book[?(${filter})].title`);

  it('compare numbers and strings', () => {
    expect(titles('@.price < 10')).toEqual(['Sayings', 'Moby Dick']);
    expect(titles('@.price >= 12.99')).toEqual(['Sword', 'Rings']);
    expect(titles("@.category == 'reference'")).toEqual(['Sayings']);
    expect(titles('@.category != "fiction"')).toEqual(['Sayings']);
    expect(titles("@.author > 'S'")).toEqual(['Sword', 'Rings']);
    expect(titles('@.price <= $.expensive')).toEqual(['Sayings', 'Moby Dick']);
  });

  it('test existence and combine with && || ! and parentheses', () => {
    expect(titles('@.isbn')).toEqual(['Moby Dick', 'Rings']);
    expect(titles('!@.isbn')).toEqual(['Sayings', 'Sword']);
    expect(titles("@.isbn && @.price > 10 || @.category == 'reference'")).toEqual(['Sayings', 'Rings']);
    expect(titles("!(@.category == 'fiction')")).toEqual(['Sayings']);
    expect(titles('(@.price < 9 || @.price > 20) && @.isbn')).toEqual(['Moby Dick', 'Rings']);
  });

  it('match regexes fully, with flags', () => {
    expect(titles('@.author =~ /.*REES/i')).toEqual(['Sayings']);
    expect(titles('@.author =~ /Ree/')).toEqual([]);
  });

  it('match regexes in linear time (issue 18), refusing constructs that need backtracking', () => {
    // On a backtracking engine this pattern over 40 a's and a b takes minutes.
    const input = { items: [{ s: `${'a'.repeat(40)}b` }, { s: 'a'.repeat(40) }] };
    expect(value('$.items[?(@.s =~ /(a+)+/)].s', input)).toEqual(['a'.repeat(40)]);
    expect(() => value('$.items[?(@.s =~ /(a)\\1/)].s', input)).toThrow(/cannot run on a linear-time engine/);
  });

  it('support the list operators', () => {
    expect(titles("@.author in ['Rees', 'Tolkien']")).toEqual(['Sayings', 'Rings']);
    expect(titles("@.author nin ['Rees', 'Tolkien']")).toEqual(['Sword', 'Moby Dick']);
    const data = { l: [{ t: ['a', 'b'] }, { t: ['c'] }, { t: [] }] };
    expect(value("$.l[?(@.t contains 'a')].t", data)).toEqual([['a', 'b']]);
    expect(value("$.l[?(@.t subsetof ['a','b','z'])].t", data)).toEqual([['a', 'b'], []]);
    expect(value("$.l[?(@.t anyof ['c'])].t", data)).toEqual([['c']]);
    expect(value("$.l[?(@.t noneof ['a','c'])].t", data)).toEqual([[]]);
    expect(value('$.l[?(@.t size 1)].t', data)).toEqual([['c']]);
    expect(value('$.l[?(@.t empty true)].t', data)).toEqual([[]]);
  });

  it('treat a missing value as undefined: false for == and true for !=', () => {
    const data: Json = { l: [{ a: 1 }, { b: 1 }] };
    expect(value('$.l[?(@.a == 1)]', data)).toEqual([{ a: 1 }]);
    expect(value('$.l[?(@.a != 1)]', data)).toEqual([{ b: 1 }]);
  });

  it('equate a number with a string holding it, as Jayway does', () => {
    expect(value("$.l[?(@.v == '1')]", { l: [{ v: 1 }, { v: 2 }] })).toEqual([{ v: 1 }]);
  });

  it('apply to an object as a whole and to every object found by a scan', () => {
    expect(value('$.o[?(@.a)]', { o: { a: 1 } })).toEqual([{ a: 1 }]);
    expect(value('$..[?(@.price > 20)].title')).toEqual(['Rings']);
  });
});

describe('queryPath', () => {
  const scope: PathScope = {
    input: { a: 1 },
    context: { Execution: { Name: 'exec-1' } },
    variables: { x: { y: [5, 6] }, n: 42 },
    random: seededRandom(1),
  };

  it('reads $ from the input, $$ from the context object and $name from a variable', () => {
    expect(queryPath('$.a', scope)).toEqual({ found: true, value: 1 });
    expect(queryPath('$$.Execution.Name', scope)).toEqual({ found: true, value: 'exec-1' });
    expect(queryPath('$$', scope)).toEqual({ found: true, value: scope.context });
    expect(queryPath('$x.y[1]', scope)).toEqual({ found: true, value: 6 });
    expect(queryPath('$n', scope)).toEqual({ found: true, value: 42 });
  });

  it('misses for an unknown variable or field', () => {
    expect(queryPath('$nope', scope).found).toBe(false);
    expect(queryPath('$$.Execution.Nope', scope)).toEqual({ found: false, reason: "No results for path: $['Execution']['Nope']" });
  });
});
