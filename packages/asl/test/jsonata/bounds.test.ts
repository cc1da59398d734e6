import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { MAX_EVALUATION_DEPTH, evaluateJsonataValue } from '../../src/jsonata/index.js';
import { installEvaluationBounds } from '../../src/jsonata/bounds.js';
import { scopeOf } from './scope.js';

const sumOf = (n: number) => `{% ${Array(n).fill('1').join(' + ')} %}`;

describe('evaluation bounds', () => {
  it('evaluates 100 nested steps and refuses 101 with a stack overflow error', async () => {
    expect(await evaluateJsonataValue(sumOf(MAX_EVALUATION_DEPTH), scopeOf(), 'Output')).toBe(MAX_EVALUATION_DEPTH);
    await expect(evaluateJsonataValue(sumOf(MAX_EVALUATION_DEPTH + 1), scopeOf(), 'Output')).rejects.toMatchObject({
      error: 'States.QueryEvaluationError',
      cause: expect.stringContaining('threw an error during evaluation. Stack overflow error'),
    });
  });

  it('stops an endless (tail-recursive) evaluation after the step budget', async () => {
    const e = jsonata('($f := function($n){ $f($n + 1) }; $f(0))');
    installEvaluationBounds(e, { maxSteps: 5000 });
    await expect(e.evaluate(undefined, {})).rejects.toMatchObject({ message: 'Expression evaluation timeout: Check for infinite loop' });
  });
});
