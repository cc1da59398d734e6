import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  SFN_ACTIONS,
  activityArn,
  assertValidName,
  executionArn,
  executionArnFor,
  isValidName,
  methodOf,
  parseActivityArn,
  parseMapRunArn,
  parseArn,
  parseExecutionArn,
  parseStateMachineArn,
  stateMachineArn,
} from '@baton/api-contract';

const scope = { partition: 'aws-cn', region: 'cn-north-1', account: '111122223333' };

function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected an ApiError');
}

describe('ARNs', () => {
  it('builds and parses the three kinds', () => {
    const sm = stateMachineArn(scope, 'orders');
    expect(sm).toBe('arn:aws-cn:states:cn-north-1:111122223333:stateMachine:orders');
    expect(parseStateMachineArn(sm)).toMatchObject({ ...scope, resourceType: 'stateMachine', name: 'orders' });
    const ex = executionArn(scope, 'orders', 'run-1');
    expect(executionArnFor(sm, 'run-1')).toBe(ex);
    expect(parseExecutionArn(ex)).toMatchObject({ resourceType: 'execution', name: 'orders', executionName: 'run-1' });
    const act = activityArn(scope, 'pick');
    expect(parseActivityArn(act)).toMatchObject({ resourceType: 'activity', name: 'pick' });
    expect(parseArn(`${sm}:3`)).toMatchObject({ name: 'orders', qualifier: '3' });
  });

  it("answers InvalidArn as AWS words it", () => {
    for (const bad of ['not_a_valid_arn', 'arn:aws:lambda:us-east-1:123456789012:function:f', 'arn:aws:states:us-east-1:12:stateMachine:x', 'arn:aws:states:us-east-1:123456789012:stateMachine:']) {
      const e = apiError(() => parseStateMachineArn(bad));
      expect(e.code).toBe('InvalidArn');
      expect(e.message).toBe(`Invalid Arn: 'Invalid ARN prefix: ${bad}'`);
    }
    const wrongKind = apiError(() => parseStateMachineArn(activityArn(scope, 'pick')));
    expect(wrongKind.message).toBe("Invalid Arn: 'Resource type not valid in this context: activity'");
    const unknownKind = apiError(() => parseArn('arn:aws:states:us-east-1:123456789012:task:a:b'));
    expect(unknownKind.message).toBe("Invalid Arn: 'Resource type not valid in this context: task'");
  });
});

describe('names', () => {
  it('accepts 1-80 ordinary characters', () => {
    expect(isValidName('a')).toBe(true);
    expect(isValidName('order-42_v1.ready')).toBe(true);
    expect(isValidName('x'.repeat(80))).toBe(true);
    expect(isValidName('x'.repeat(81))).toBe(false);
    expect(isValidName('')).toBe(false);
    expect(isValidName('tab\tname')).toBe(false);
    expect(isValidName('c1\u0085')).toBe(false);
  });

  it('refuses names that are not well-formed Unicode (a lone surrogate has no UTF-8 form), keeps paired ones', () => {
    for (const name of ['a\ud800', '\udfff', 'x\ud83dy', 'ok\ude00', '\ud800\ud800']) {
      expect(isValidName(name), JSON.stringify(name)).toBe(false);
      expect(apiError(() => assertValidName(name)).code).toBe('InvalidName');
    }
    expect(isValidName('rocket-\ud83d\ude80')).toBe(true);
    expect(isValidName('caf\u00e9-\u4e2d\u6587')).toBe(true);
  });

  const file = '/work/shared/conformance/validation-cases.jsonl';
  const cases = existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => l.includes('"InvalidName"'))
        .map((l) => JSON.parse(l))
    : [];
  it.skipIf(cases.length === 0 && process.env.CI !== 'true')('refuses every name AWS refused, with its message', () => {
    expect(cases.length).toBeGreaterThan(20);
    for (const c of cases) {
      const e = apiError(() => assertValidName(c.request.name));
      expect(e.code).toBe('InvalidName');
      expect(e.message).toBe(`Invalid Name: '${c.request.name}'`);
    }
  });
});

describe('actions', () => {
  it('lists the 37 supported actions with camelCase backend methods', () => {
    expect(SFN_ACTIONS).toHaveLength(37);
    expect(methodOf('DescribeMapRun')).toBe('describeMapRun');
    expect(methodOf('TestState')).toBe('testState');
    expect(methodOf('DescribeStateMachineForExecution')).toBe('describeStateMachineForExecution');
  });
});

describe('Map Run ARNs', () => {
  it('parses arn:...:mapRun:<state machine>/<label>:<id> and refuses it where an execution is expected', () => {
    const arn = 'arn:aws:states:us-east-1:123456789012:mapRun:orders/Rows:0b9f2f6e-8f1c-4a52-9a0e-1b2c3d4e5f60';
    expect(parseMapRunArn(arn)).toMatchObject({ resourceType: 'mapRun', name: 'orders/Rows', region: 'us-east-1' });
    expect(() => parseExecutionArn(arn)).toThrow("Resource type not valid in this context: mapRun");
    expect(() => parseMapRunArn('arn:aws:states:us-east-1:123456789012:mapRun:orders')).toThrow('Invalid ARN prefix');
  });
});
