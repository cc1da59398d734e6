/**
 * Regression: a Distributed Map reading a CSV from S3 used to be accepted, run over the state input instead of the
 * file, and SUCCEED. What Baton runs is accepted; whatever reader resource, reader option or writer option it does
 * not run is refused at create time, naming the field.
 */
import { describe, expect, it } from 'vitest';
import { invalidDefinitionMessage, validateDefinition } from '../../src/index.js';
import { problems, SCHEMA, single } from './helpers.js';

const PROCESSOR = { StartAt: 'I', States: { I: { Type: 'Pass', End: true } }, ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } };
const INLINE = { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } };
const csvReader = {
  Resource: 'arn:aws:states:::s3:getObject',
  ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW', CSVDelimiter: 'SEMICOLON', MaxItems: 10 },
  Parameters: { Bucket: 'rows', 'Key.$': '$.key' },
};
const writer = { Resource: 'arn:aws:states:::s3:putObject', Parameters: { Bucket: 'out', Prefix: 'p' }, WriterConfig: { Transformation: 'COMPACT', OutputType: 'JSONL' } };
const map = (fields: Record<string, unknown>) => single({ Type: 'Map', ItemProcessor: PROCESSOR, End: true, ...fields });
const locations = (def: unknown) => problems(def).map(([code, , location]) => [code, location]);

describe('Distributed Map fields', () => {
  it('accepts what Baton runs: CSV / JSON / JSONL / S3 Inventory manifest readers, listObjectsV2, ItemBatcher, ResultWriter', () => {
    expect(problems(map({ ItemReader: csvReader, ItemBatcher: { MaxItemsPerBatch: 10, BatchInput: { a: 1 } }, ResultWriter: writer }))).toEqual([]);
    expect(problems(map({ ItemReader: { ...csvReader, ReaderConfig: { InputType: 'JSONL' } } }))).toEqual([]);
    expect(problems(map({ ItemReader: { ...csvReader, ReaderConfig: { InputType: 'MANIFEST', MaxItems: 5 } } }))).toEqual([]);
    expect(problems(map({ ItemReader: { ...csvReader, ReaderConfig: { InputType: 'MANIFEST', ManifestType: 'S3_INVENTORY' } } }))).toEqual([]);
    expect(problems(map({ ItemReader: { Resource: 'arn:aws:states:::s3:listObjectsV2', Parameters: { Bucket: 'b', Prefix: 'p/' } } }))).toEqual([]);
  });

  it('refuses reader input types, options and parameters Baton does not run, naming each', () => {
    const def = map({ ItemReader: { ...csvReader, ReaderConfig: { InputType: 'PARQUET', ManifestType: 'ATHENA_DATA' }, Parameters: { Bucket: 'b', Key: 'k', RequestPayer: 'requester' } } });
    const diagnostics = validateDefinition(def);
    expect(diagnostics.map((d) => [d.code, d.location])).toEqual([
      [SCHEMA, '/States/S/ItemReader/Parameters/RequestPayer'],
      [SCHEMA, '/States/S/ItemReader/ReaderConfig/InputType'],
      [SCHEMA, '/States/S/ItemReader/ReaderConfig/ManifestType'],
    ]);
    expect(invalidDefinitionMessage(diagnostics)).toContain("InputType 'PARQUET' is not supported by Baton");
    expect(locations(map({ ItemReader: { ...csvReader, ReaderConfig: { InputType: 'MANIFEST', ManifestType: 'ATHENA_DATA' } } }))).toEqual([[SCHEMA, '/States/S/ItemReader/ReaderConfig/ManifestType']]);
    expect(invalidDefinitionMessage(validateDefinition(map({ ItemReader: { ...csvReader, ReaderConfig: { InputType: 'MANIFEST', ManifestType: 'ATHENA_DATA' } } }))))
      .toContain('ManifestType "ATHENA_DATA" is not supported by Baton');
    expect(locations(map({ ItemReader: { ...csvReader, ReaderConfig: { InputType: 'CSV', ManifestType: 'S3_INVENTORY' } } }))).toEqual([[SCHEMA, '/States/S/ItemReader/ReaderConfig/ManifestType']]);
    expect(locations(map({ ItemReader: { Resource: 'arn:aws:states:::s3:listObjectsV2', Parameters: { Bucket: 'b', Delimiter: '/' } } }))).toEqual([
      [SCHEMA, '/States/S/ItemReader/Parameters/Delimiter'],
    ]);
  });

  it('refuses JSONL results in the state output (WriterConfig without a Resource)', () => {
    expect(problems(map({ ResultWriter: { WriterConfig: { Transformation: 'FLATTEN', OutputType: 'JSON' } } }))).toEqual([]);
    expect(locations(map({ ResultWriter: { WriterConfig: { Transformation: 'FLATTEN', OutputType: 'JSONL' } } }))).toEqual([
      [SCHEMA, '/States/S/ResultWriter/WriterConfig/OutputType'],
    ]);
  });

  it('refuses CSV options that would not be read', () => {
    const reader = (ReaderConfig: object) => map({ ItemReader: { ...csvReader, ReaderConfig } });
    expect(locations(reader({ InputType: 'JSON', CSVDelimiter: 'TAB' }))).toEqual([[SCHEMA, '/States/S/ItemReader/ReaderConfig/CSVDelimiter']]);
    expect(locations(reader({ InputType: 'CSV', CSVHeaders: ['a'] }))).toEqual([[SCHEMA, '/States/S/ItemReader/ReaderConfig/CSVHeaders']]);
    expect(locations(reader({ InputType: 'CSV', CSVHeaderLocation: 'GIVEN' }))).toEqual([[SCHEMA, '/States/S/ItemReader/ReaderConfig/CSVHeaderLocation']]);
    expect(problems(reader({ InputType: 'CSV', CSVHeaderLocation: 'GIVEN', CSVHeaders: ['a'] }))).toEqual([]);
  });

  it('refuses writer parameters Baton does not pass on', () => {
    expect(locations(map({ ResultWriter: { ...writer, Parameters: { Bucket: 'b', ExpectedBucketOwner: '1' } } }))).toEqual([
      [SCHEMA, '/States/S/ResultWriter/Parameters/ExpectedBucketOwner'],
    ]);
  });

  it('refuses ItemReader, ItemBatcher and ResultWriter on an INLINE Map, where they would be ignored', () => {
    const def = single({ Type: 'Map', ItemProcessor: INLINE, End: true, ItemReader: csvReader, ItemBatcher: { MaxItemsPerBatch: 2 }, ResultWriter: writer });
    expect(locations(def)).toEqual([
      [SCHEMA, '/States/S/ItemReader'], [SCHEMA, '/States/S/ItemBatcher'], [SCHEMA, '/States/S/ResultWriter'],
    ]);
  });
});
