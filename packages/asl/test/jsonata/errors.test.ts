import { describe, expect, it } from 'vitest';
import { StatesError } from '../../src/errors.js';
import {
  QueryEvaluationError, evaluationFailedEventDetails, jsonTypeName, queryEvaluationCause,
} from '../../src/jsonata/index.js';

describe('QueryEvaluationError', () => {
  it('is a States.QueryEvaluationError StatesError carrying its location', () => {
    const e = new QueryEvaluationError('c', 'Output/a', '$x');
    expect(e).toBeInstanceOf(StatesError);
    expect([e.error, e.cause, e.location, e.expression]).toEqual(['States.QueryEvaluationError', 'c', 'Output/a', '$x']);
  });

  it('gives the EvaluationFailed details with the state prefix added once', () => {
    const e = new QueryEvaluationError(queryEvaluationCause.returnedNothing('$d', 'Assign/r'), 'Assign/r');
    const details = evaluationFailedEventDetails(e, 'State0', 2);
    expect(details).toEqual({
      error: 'States.QueryEvaluationError',
      cause: "An error occurred while executing the state 'State0' (entered at the event id #2). The JSONata expression '$d' specified for the field 'Assign/r' returned nothing (undefined).",
      location: 'Assign/r',
      state: 'State0',
    });
    expect(evaluationFailedEventDetails({ ...e, cause: details.cause, location: 'Assign/r' }, 'State0', 2).cause).toBe(details.cause);
  });

  it("words an unexpected type as AWS does for Map's Items", () => {
    expect(queryEvaluationCause.unexpectedResultType("{'foo': 'bar'}", 'Items', 'array', { foo: 'bar' })).toBe(
      "The JSONata expression '{'foo': 'bar'}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'object' for value: {\"foo\":\"bar\"}",
    );
    expect(queryEvaluationCause.unexpectedResultType('$v', 'Items', 'array', 'string')).toMatch(/but was 'string' for value: "string"$/);
    expect([null, true, 1, 'a', [], {}].map(jsonTypeName)).toEqual(['null', 'boolean', 'number', 'string', 'array', 'object']);
  });
});
