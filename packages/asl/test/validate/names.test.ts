import { describe, expect, it } from 'vitest';
import { problems } from './helpers.js';

describe('state names', () => {
  const long = 'N'.repeat(81);

  it('refuses a name over 80 characters with INVALID_STATE_NAME', () => {
    expect(problems({ StartAt: long, States: { [long]: { Type: 'Succeed' } } })).toEqual([
      ['INVALID_STATE_NAME', `Invalid State name: State '${long}' exceeds the 80-character limit allowed by the service`, `/States/${long}`],
    ]);
    const eighty = 'N'.repeat(80);
    expect(problems({ StartAt: eighty, States: { [eighty]: { Type: 'Succeed' } } })).toEqual([]);
  });

  it('takes the limit from the options', () => {
    expect(problems({ StartAt: 'ABCDE', States: { ABCDE: { Type: 'Succeed' } } }, { maxStateNameLength: 4 })).toEqual([
      ['INVALID_STATE_NAME', "Invalid State name: State 'ABCDE' exceeds the 4-character limit allowed by the service", '/States/ABCDE'],
    ]);
  });

  it('refuses control characters and an empty name', () => {
    const rows = problems({ StartAt: 'a\u0001', States: { 'a\u0001': { Type: 'Succeed' } } });
    expect(rows.map((r) => r[0])).toEqual(['INVALID_STATE_NAME']);
    expect(problems({ StartAt: '', States: { '': { Type: 'Succeed' } } }).map((r) => r[0])).toEqual(['INVALID_STATE_NAME']);
  });

  it('accepts spaces and punctuation AWS definitions commonly use', () => {
    expect(problems({ StartAt: 'Hello, World / 1', States: { 'Hello, World / 1': { Type: 'Succeed' } } })).toEqual([]);
  });

  it('refuses a name used twice in the machine, nested machines included', () => {
    const def = {
      StartAt: 'P',
      States: {
        P: { Type: 'Parallel', Branches: [{ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }], Next: 'Done' },
        Done: { Type: 'Succeed' },
      },
    };
    expect(problems(def)).toEqual([['DUPLICATE_STATE_NAME', 'Duplicate State name: Done', '/States/Done']]);
  });
});
