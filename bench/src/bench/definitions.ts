/** The workflows the bench runs (ASL), and the same 10-step shape for the ceiling and the DBOS peer. */

export const CHAIN_LENGTH = 10;

/** Ten Pass states, each adding `{ step: i }` at `$.s<i>`: the reference workload. */
export function passChain(): object {
  const states: Record<string, object> = {};
  for (let i = 0; i < CHAIN_LENGTH; i++) {
    states[`S${i}`] = { Type: 'Pass', Result: { step: i }, ResultPath: `$.s${i}`, ...(i < CHAIN_LENGTH - 1 ? { Next: `S${i + 1}` } : { End: true }) };
  }
  return { StartAt: 'S0', States: states };
}

/** Ten states: Pass, Choice, Wait 0 repeated (three times) and a Succeed. */
export function choiceWaitMix(): object {
  const states: Record<string, object> = {};
  for (let k = 0; k < 3; k++) {
    const p = `P${k}`, c = `C${k}`, w = `W${k}`;
    const next = k < 2 ? `P${k + 1}` : 'Done';
    states[p] = { Type: 'Pass', Result: k, ResultPath: `$.p${k}`, Next: c };
    states[c] = { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThanEquals: 0, Next: w }], Default: w };
    states[w] = { Type: 'Wait', Seconds: 0, Next: next };
  }
  states.Done = { Type: 'Succeed' };
  return { StartAt: 'P0', States: states };
}

export const TASKS_PER_EXECUTION = 5;

/** Five activity Task states in a row, each answered by the bench's poller. */
export function taskHeavy(activityArn: string): object {
  const states: Record<string, object> = {};
  for (let i = 0; i < TASKS_PER_EXECUTION; i++) {
    states[`T${i}`] = { Type: 'Task', Resource: activityArn, ResultPath: `$.t${i}`, ...(i < TASKS_PER_EXECUTION - 1 ? { Next: `T${i + 1}` } : { End: true }) };
  }
  return { StartAt: 'T0', States: states };
}

/** Parks in a day-long Wait; the bench brings the timers forward to resume them all at once. */
export function parked(): object {
  return { StartAt: 'Park', States: { Park: { Type: 'Wait', Seconds: 86_400, Next: 'Done' }, Done: { Type: 'Pass', End: true } } };
}

/** Five `lambda:invoke` Task states in a row (the wire-level Lambda of lambda-server.ts echoes each payload). */
export function lambdaChain(): object {
  const states: Record<string, object> = {};
  for (let i = 0; i < TASKS_PER_EXECUTION; i++) {
    states[`T${i}`] = {
      Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:bench-echo', 'Payload.$': '$.n' },
      ResultSelector: { 'v.$': '$.Payload' }, ResultPath: `$.t${i}`,
      ...(i < TASKS_PER_EXECUTION - 1 ? { Next: `T${i + 1}` } : { End: true }),
    };
  }
  return { StartAt: 'T0', States: states };
}
