import { describe, expect, it } from 'vitest';
import { problems, SCHEMA } from './helpers.js';

const jsonataOnly = (f: string) => `The QueryLanguage is set to 'JSONPath', but field '${f}' is only supported for the 'JSONata' QueryLanguage`;
const jsonPathOnly = (f: string) => `The QueryLanguage is set to 'JSONata', but field '${f}' is only supported for the 'JSONPath' QueryLanguage`;

describe('QueryLanguage', () => {
  it('refuses a JSONPath state in a JSONata machine, and reports nothing else about its fields', () => {
    const def = { QueryLanguage: 'JSONata', StartAt: 'P', States: { P: { Type: 'Pass', End: true, QueryLanguage: 'JSONPath', Output: { v: '{% 1 %}' } } } };
    expect(problems(def)).toEqual([[SCHEMA, "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine", '/States/P']]);
  });

  it('lets a JSONPath machine hold JSONata states, and nested states inherit the machine language', () => {
    const def = {
      StartAt: 'M',
      QueryLanguage: 'JSONPath',
      States: {
        M: {
          Type: 'Map',
          QueryLanguage: 'JSONata',
          ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'P', States: { P: { QueryLanguage: 'JSONPath', Type: 'Pass', End: true } } },
          End: true,
        },
      },
    };
    expect(problems(def)).toEqual([]);
    const inherits = {
      StartAt: 'M',
      States: {
        M: { Type: 'Map', QueryLanguage: 'JSONata', Items: '{% [1, 2] %}', ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', Output: 1, End: true } } }, End: true },
      },
    };
    expect(problems(inherits)).toEqual([[SCHEMA, jsonataOnly('Output'), '/States/M/ItemProcessor/States/P']]);
  });

  it('refuses the fields of the other language at the state', () => {
    const jsonPath = { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Output: { v: 1 }, Arguments: {}, End: true } } };
    expect(problems(jsonPath)).toEqual([
      [SCHEMA, jsonataOnly('Output'), '/States/T'],
      [SCHEMA, jsonataOnly('Arguments'), '/States/T'],
    ]);
    const jsonata = { QueryLanguage: 'JSONata', StartAt: 'X', States: { X: { Type: 'Pass', InputPath: '$.a', OutputPath: '$.b', ResultPath: '$.c', End: true } } };
    expect(problems(jsonata)).toEqual([
      [SCHEMA, jsonPathOnly('InputPath'), '/States/X'],
      [SCHEMA, jsonPathOnly('OutputPath'), '/States/X'],
      [SCHEMA, jsonPathOnly('ResultPath'), '/States/X'],
    ]);
  });

  it('lets both languages use Assign', () => {
    expect(problems({ StartAt: 'X', States: { X: { Type: 'Pass', Assign: { counter: 1 }, End: true } } })).toEqual([]);
    expect(problems({ QueryLanguage: 'JSONata', StartAt: 'X', States: { X: { Type: 'Pass', Assign: { counter: '{% 1 %}' }, End: true } } })).toEqual([]);
  });

  it('reads any QueryLanguage other than exactly JSONPath as JSONata, and reports it against the enum', () => {
    const def = { StartAt: 'X', States: { X: { Type: 'Pass', QueryLanguage: 'jsonata', Output: { v: '{% 1 %}' }, InputPath: '$.a', End: true } } };
    expect(problems(def)).toEqual([
      [SCHEMA, jsonPathOnly('InputPath'), '/States/X'],
      [SCHEMA, 'Value should be one of the following: [JSONPath, JSONata]', '/States/X/QueryLanguage'],
    ]);
  });
});
