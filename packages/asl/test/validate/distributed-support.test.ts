/**
 * Regression: a Distributed Map reading a CSV from S3 used to be accepted, run over the state input instead of the
 * file, and SUCCEED. What Baton does not run is refused at create time, naming the field.
 */
import { describe, expect, it } from 'vitest';
import { invalidDefinitionMessage, validateDefinition } from '../../src/index.js';
import { problems, SCHEMA, single } from './helpers.js';

const PROCESSOR = { StartAt: 'I', States: { I: { Type: 'Pass', End: true } }, ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } };
const csvReader = {
  Resource: 'arn:aws:states:::s3:getObject',
  ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW' },
  Parameters: { Bucket: 'rows', Key: 'rows.csv' },
};

describe('Distributed Map fields Baton does not run', () => {
  it('refuses a CSV ItemReader instead of mapping over the state input', () => {
    const def = single({ Type: 'Map', ItemProcessor: PROCESSOR, ItemReader: csvReader, End: true });
    const diagnostics = validateDefinition(def);
    expect(diagnostics.map((d) => [d.code, d.location])).toEqual([[SCHEMA, '/States/S/ItemReader']]);
    expect(invalidDefinitionMessage(diagnostics)).toContain("'ItemReader' is not supported by Baton");
  });

  it('refuses ItemBatcher and ResultWriter, each at its own field', () => {
    const def = single({
      Type: 'Map', ItemProcessor: PROCESSOR, End: true,
      ItemBatcher: { MaxItemsPerBatch: 10 },
      ResultWriter: { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'out', Prefix: 'p' } },
    });
    expect(problems(def).map(([code, , location]) => [code, location])).toEqual([
      [SCHEMA, '/States/S/ItemBatcher'],
      [SCHEMA, '/States/S/ResultWriter'],
    ]);
  });

  it('still accepts a Distributed Map over the items of its input', () => {
    expect(problems(single({ Type: 'Map', ItemProcessor: PROCESSOR, ItemsPath: '$.items', End: true }))).toEqual([]);
  });
});
