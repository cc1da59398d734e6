import { describe, expect, it } from 'vitest';
import { problems } from './helpers.js';

const MISSING = 'MISSING_TRANSITION_TARGET';

describe('transitions', () => {
  it('reports a Next naming no state, then the state left unreachable', () => {
    const def = { StartAt: 'pass1', States: { pass1: { Type: 'Pass', Next: 'pass3' }, pass2: { Type: 'Pass', End: true } } };
    expect(problems(def)).toEqual([
      [MISSING, "Missing 'Next' target: pass3", '/States/pass1/Next'],
      [MISSING, 'State "pass2" is not reachable.', '/States/pass2'],
    ]);
  });

  it("words every missing target as 'Next', at the field that names it", () => {
    const def = {
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Next: 'Ghost1' }], Default: 'Ghost2' },
        T: {
          Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, End: true,
          Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Ghost3' }],
        },
      },
    };
    expect(problems(def)).toEqual([
      [MISSING, "Missing 'Next' target: Ghost1", '/States/C/Choices[0]/Next'],
      [MISSING, "Missing 'Next' target: Ghost2", '/States/C/Default'],
      [MISSING, "Missing 'Next' target: Ghost3", '/States/T/Catch[0]/Next'],
      [MISSING, 'State "T" is not reachable.', '/States/T'],
    ]);
  });

  it('reports a StartAt naming no state, and every state as unreachable', () => {
    expect(problems({ StartAt: 'Nope', States: { A: { Type: 'Pass', End: true } } })).toEqual([
      [MISSING, "Missing 'Next' target: Nope", '/StartAt'],
      [MISSING, 'State "A" is not reachable.', '/States/A'],
    ]);
  });

  it('follows Catch and Choice transitions when computing reachability', () => {
    const def = {
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Variable: '$.x', IsPresent: true, Next: 'T' }], Default: 'F' },
        T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'f' }, End: true, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'H' }] },
        H: { Type: 'Succeed' },
        F: { Type: 'Fail' },
      },
    };
    expect(problems(def)).toEqual([]);
  });

  it('needs a terminal state at the top level, reported without a location, and then skips reachability', () => {
    const loop = { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'A' } };
    expect(problems({ StartAt: 'A', States: loop })).toEqual([['MISSING_END_STATE', 'Workflow has no terminal state', undefined]]);
    expect(problems({ StartAt: 'A', States: { ...loop, Unused: { Type: 'Pass', Next: 'A' } } })).toEqual([
      ['MISSING_END_STATE', 'Workflow has no terminal state', undefined],
    ]);
    expect(problems({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'NOPE' } } })).toEqual([
      [MISSING, "Missing 'Next' target: NOPE", '/States/A/Next'],
      ['MISSING_END_STATE', 'Workflow has no terminal state', undefined],
    ]);
    expect(problems({ StartAt: 'A', States: { ...loop, C: { Type: 'Pass', End: true } } })).toEqual([
      [MISSING, 'State "C" is not reachable.', '/States/C'],
    ]);
  });

  it('checks nested machines with their own locations, without the terminal-state rule', () => {
    const def = {
      StartAt: 'M',
      States: {
        M: {
          Type: 'Map',
          ItemProcessor: { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'A' }, Ghost: { Type: 'Pass', End: true } } },
          End: true,
        },
      },
    };
    expect(problems(def)).toEqual([[MISSING, 'State "Ghost" is not reachable.', '/States/M/ItemProcessor/States/Ghost']]);
    const branch = {
      StartAt: 'P',
      States: { P: { Type: 'Parallel', Branches: [{ StartAt: 'Nope', States: { A: { Type: 'Pass', End: true } } }], End: true } },
    };
    expect(problems(branch)).toEqual([
      [MISSING, "Missing 'Next' target: Nope", '/States/P/Branches[0]/StartAt'],
      [MISSING, 'State "A" is not reachable.', '/States/P/Branches[0]/States/A'],
    ]);
  });

  it('does not let a branch state transition to a state outside its branch', () => {
    const def = {
      StartAt: 'P',
      States: {
        P: { Type: 'Parallel', Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Out' } } }], Next: 'Out' },
        Out: { Type: 'Succeed' },
      },
    };
    expect(problems(def)).toEqual([[MISSING, "Missing 'Next' target: Out", '/States/P/Branches[0]/States/A/Next']]);
  });
});
