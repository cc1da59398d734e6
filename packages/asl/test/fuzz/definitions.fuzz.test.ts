/**
 * Bad input gets a clear error and breaks nothing: random and mutated definitions and inputs thrown at the
 * validator, the compiler and the interpreter. Every definition either gets diagnostics (each with a code and a
 * message) or, when valid, runs to an end (or to the step cap) without an internal error.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileDefinition, runLocal, validateDefinition, type Json, type JsonObject } from '@baton/asl';

const SEEDS: JsonObject[] = [
  { StartAt: 'A', States: { A: { Type: 'Pass', Result: { x: 1 }, ResultPath: '$.r', Next: 'B' }, B: { Type: 'Succeed' } } },
  {
    StartAt: 'C',
    States: {
      C: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThan: 1, Next: 'W' }], Default: 'F' },
      W: { Type: 'Wait', SecondsPath: '$.n', Next: 'T' },
      T: {
        Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { 'v.$': 'States.Format(\'{}\', $.n)' },
        Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 2 }], Catch: [{ ErrorEquals: ['States.ALL'], Next: 'F' }], End: true,
      },
      F: { Type: 'Fail', Error: 'E' },
    },
  },
  {
    StartAt: 'P',
    States: {
      P: {
        Type: 'Parallel', Next: 'M',
        Branches: [{ StartAt: 'X', States: { X: { Type: 'Pass', End: true } } }, { StartAt: 'Y', States: { Y: { Type: 'Pass', Result: [1, 2], End: true } } }],
      },
      M: { Type: 'Map', ItemsPath: '$[1]', MaxConcurrency: 1, ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }, End: true },
    },
  },
  {
    QueryLanguage: 'JSONata', StartAt: 'J',
    States: { J: { Type: 'Pass', Output: '{% $states.input.n + 1 %}', Assign: { v: '{% $states.input %}' }, End: true } },
  },
];

const jsonValue: fc.Arbitrary<Json> = fc.jsonValue({ maxDepth: 4 }) as fc.Arbitrary<Json>;
const fieldNames = fc.constantFrom(
  'Type', 'Next', 'End', 'Result', 'ResultPath', 'InputPath', 'OutputPath', 'Parameters', 'Resource', 'Seconds',
  'SecondsPath', 'Choices', 'Default', 'Branches', 'ItemsPath', 'ItemProcessor', 'Retry', 'Catch', 'Error', 'Cause',
  'TimeoutSeconds', 'HeartbeatSeconds', 'MaxConcurrency', 'Output', 'Arguments', 'Assign', 'QueryLanguage', 'StartAt',
);

/** One random edit somewhere in a definition: set, delete or replace a field with any JSON value. */
function mutate(def: JsonObject, path: number[], field: string, value: Json, remove: boolean): JsonObject {
  const copy = JSON.parse(JSON.stringify(def)) as JsonObject;
  const objects: JsonObject[] = [];
  const walk = (v: Json) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      objects.push(v);
      Object.values(v).forEach(walk);
    }
  };
  walk(copy);
  const target = objects[path.reduce((a, b) => a + b, 0) % objects.length]!;
  if (remove) delete target[field];
  else target[field] = value;
  return copy;
}

function checkDiagnostics(def: unknown): boolean {
  const diagnostics = validateDefinition(def);
  for (const d of diagnostics) {
    expect(typeof d.code).toBe('string');
    expect(d.message.length).toBeGreaterThan(0);
  }
  return diagnostics.every((d) => d.severity !== 'ERROR');
}

async function runIfValid(def: JsonObject, input: Json): Promise<void> {
  if (!checkDiagnostics(def)) return;
  const program = compileDefinition(def);
  try {
    const r = await runLocal(program, { input, maxSteps: 2_000, taskHandler: () => ({ ok: true, output: input }) });
    expect(['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED']).toContain(r.status);
  } catch (e) {
    // The only acceptable escape is the runner's own step cap for a definition that loops forever.
    expect(String(e)).toMatch(/did not finish within/);
  }
}

describe('fuzz: definitions and inputs', () => {
  it('the validator answers any JSON value or text with diagnostics, never an exception', () => {
    fc.assert(
      fc.property(fc.oneof(jsonValue, fc.string(), fc.json()), (value) => {
        checkDiagnostics(value);
      }),
      { numRuns: 500 },
    );
  });

  it('mutated definitions are rejected clearly or run without an internal error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...SEEDS),
        fc.array(fc.nat(50), { minLength: 1, maxLength: 3 }),
        fieldNames,
        jsonValue,
        fc.boolean(),
        jsonValue,
        async (seed, path, field, value, remove, input) => {
          await runIfValid(mutate(seed, path, field, value, remove), input);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('valid definitions run on any input without an internal error', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SEEDS), jsonValue, async (def, input) => {
        await runIfValid(def, input);
      }),
      { numRuns: 300 },
    );
  });
});

// Issue 18: the allocations that make V8 abort the process, the backtracking that stalls it, the nesting that
// overflows its stack. Whatever sizes and shapes are thrown at them, an evaluation answers with a value or a
// States.* error: never a throw of another kind, never a crash of the test process.
describe('fuzz: the issue-18 attacks', () => {
  const size = fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.constantFrom(4_194_304, 4_194_305, 50_000_000, 200_000_000, 2 ** 30, -200_000_000));
  const doubling = fc.integer({ min: 0, max: 30 }).map((n) => `($f := function($s, $n) { $n = 0 ? $s : $f($s & $s, $n - 1) }; $f("ab", ${n}))`);
  const expression = fc.oneof(
    size.map((n) => `$length($pad("", ${n}))`),
    fc.tuple(size, fc.constantFrom('" "', '"ab"', '"😀"')).map(([n, c]) => `$pad("x", ${n}, ${c})`),
    doubling.map((s) => `$length(${s})`),
    doubling.map((s) => `$count($split(${s}, ""))`),
    doubling.map((s) => `$substring(${s}, 1, 3)`),
    fc.tuple(doubling, fc.integer({ min: 1, max: 100_000 })).map(([s, n]) => `$join([1..${n}] ~> $map(function() { ${s} }))`),
    fc.tuple(doubling, fc.integer({ min: 1, max: 100_000 })).map(([s, n]) => `$string([1..${n}] ~> $map(function() { ${s} }))`),
    fc.integer({ min: 1, max: 3_000_000 }).map((n) => `$count([1..${n}])`),
    fc.integer({ min: 990, max: 1010 }).map((n) => `$parse('${'['.repeat(n)}${']'.repeat(n)}')`),
    fc.tuple(fc.constantFrom('^(a+)+$', '(a|aa)+$', '^(a|a?)+$', '(x+x+)+y'), fc.integer({ min: 1, max: 5000 }))
      .map(([re, n]) => `$contains("${'a'.repeat(n)}b", /${re}/)`),
  );

  it('JSONata evaluations answer with a value or States.QueryEvaluationError', async () => {
    await fc.assert(
      fc.asyncProperty(expression, async (expr) => {
        const r = await runLocal({ QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', Output: `{% ${expr} %}`, End: true } } }, { input: {} });
        if (r.status === 'FAILED') expect(r.error).toMatch(/^States\.(QueryEvaluationError|Runtime|DataLimitExceeded)$/);
        else expect(r.status).toBe('SUCCEEDED');
      }),
      { numRuns: 60 },
    );
  }, 120_000);

  it('deep inputs and deep results never escape as a host error', async () => {
    const deep = (n: number, array: boolean): Json => {
      let v: Json = 'leaf';
      for (let i = 0; i < n; i++) v = array ? [v] : { a: v };
      return v;
    };
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 30_000 }), fc.boolean(), fc.constantFrom('$', '$.a', '$..a'), async (n, array, path) => {
        const def: JsonObject = {
          StartAt: 'T',
          States: {
            T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Next: 'P' },
            P: { Type: 'Pass', Parameters: { 'v.$': path }, End: true },
          },
        };
        const r = await runLocal(def, { input: {}, taskHandler: () => ({ ok: true, output: deep(n, array) }) });
        expect(['SUCCEEDED', 'FAILED']).toContain(r.status);
        if (n > 1000) expect(r).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
