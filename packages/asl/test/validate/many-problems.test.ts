import { describe, expect, it } from 'vitest';
import { invalidDefinitionMessage, validateDefinition } from '../../src/validate/index.js';
import { problems, SCHEMA } from './helpers.js';

describe('a definition with several problems', () => {
  it('reports every one of them: schema first, then transitions, machine by machine', () => {
    const def = {
      StartAt: 'Start',
      Extra: true,
      States: {
        Start: { Type: 'Pass', Next: 'Work', Catch: [] },
        Work: {
          Type: 'Task', Resource: 'arn:aws:states:::dynamodb:query', Next: 'Branch',
          Retry: [{ ErrorEquals: ['States.ALL', 'X'], BackoffRate: 0 }],
        },
        Branch: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'In', States: { In: { Type: 'Wait', End: true }, Lost: { Type: 'Succeed' } } }],
          Next: 'Nowhere',
        },
        Orphan: { Type: 'Succeed' },
      },
    };
    expect(problems(def)).toEqual([
      [SCHEMA, "Field 'Extra' is not supported", '/'],
      [SCHEMA, "Field 'Catch' is not supported", '/States/Start'],
      [SCHEMA, 'The resource provided arn:aws:states:::dynamodb:query is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.', '/States/Work/Resource'],
      [SCHEMA, 'States.ALL must appear alone and at end of list', '/States/Work/Retry[0]/ErrorEquals[0]'],
      [SCHEMA, 'Minimum value is 1.0', '/States/Work/Retry[0]/BackoffRate'],
      [SCHEMA, 'This object should have only one of the following fields: [SecondsPath, Seconds, TimestampPath, Timestamp]', '/States/Branch/Branches[0]/States/In'],
      ['MISSING_TRANSITION_TARGET', "Missing 'Next' target: Nowhere", '/States/Branch/Next'],
      ['MISSING_TRANSITION_TARGET', 'State "Orphan" is not reachable.', '/States/Orphan'],
      ['MISSING_TRANSITION_TARGET', 'State "Lost" is not reachable.', '/States/Branch/Branches[0]/States/Lost'],
    ]);
    expect(validateDefinition(def).every((d) => d.severity === 'ERROR')).toBe(true);
    expect(invalidDefinitionMessage(validateDefinition(def)).split(', ').length).toBeGreaterThanOrEqual(9);
  });

  it('reports nothing for a valid machine using every state type', () => {
    const def = {
      Comment: 'all types',
      StartAt: 'Pass',
      TimeoutSeconds: 300,
      States: {
        Pass: { Type: 'Pass', Result: { a: 1 }, ResultPath: '$.r', Next: 'Task' },
        Task: {
          Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f', 'Payload.$': '$' },
          ResultSelector: { 'body.$': '$.Payload' }, TimeoutSeconds: 60, HeartbeatSeconds: 10,
          Retry: [{ ErrorEquals: ['Lambda.ServiceException'], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2.0, JitterStrategy: 'FULL', MaxDelaySeconds: 30 }],
          Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Failed' }],
          Next: 'Choice',
        },
        Choice: { Type: 'Choice', Choices: [{ Variable: '$.r.a', NumericEquals: 1, Next: 'Wait' }], Default: 'Parallel' },
        Wait: { Type: 'Wait', Seconds: 1, Next: 'Parallel' },
        Parallel: {
          Type: 'Parallel', Branches: [{ StartAt: 'B1', States: { B1: { Type: 'Pass', End: true } } }], ResultPath: '$.p', Next: 'Map',
        },
        Map: {
          Type: 'Map', ItemsPath: '$.items', MaxConcurrency: 2, ItemSelector: { 'value.$': '$$.Map.Item.Value' },
          ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'M1', States: { M1: { Type: 'Pass', End: true } } },
          Next: 'Done',
        },
        Done: { Type: 'Succeed' },
        Failed: { Type: 'Fail', Error: 'Failed', Cause: 'it failed' },
      },
    };
    expect(problems(def)).toEqual([]);
  });
});
