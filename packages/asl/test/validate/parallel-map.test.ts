import { describe, expect, it } from 'vitest';
import { problems, SCHEMA, single } from './helpers.js';

const BRANCH = { StartAt: 'B', States: { B: { Type: 'Pass', End: true } } };
const PROCESSOR = { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } };

describe('Parallel state', () => {
  it('requires non-empty Branches', () => {
    expect(problems(single({ Type: 'Parallel', End: true }))).toEqual([[SCHEMA, 'These fields are required: [Branches]', '/States/S']]);
    expect(problems(single({ Type: 'Parallel', Branches: [], End: true }))).toEqual([[SCHEMA, 'Value cannot be empty', '/States/S/Branches']]);
  });

  it('validates each branch like a machine, at its own location', () => {
    const def = single({ Type: 'Parallel', Branches: [BRANCH, { States: { A: { Type: 'Pass', End: true } } }, { StartAt: 'C', States: { C: { Type: 'Pass', Next: 'D' } } }], End: true });
    expect(problems(def)).toEqual([
      [SCHEMA, 'These fields are required: [StartAt]', '/States/S/Branches[1]'],
      ['MISSING_TRANSITION_TARGET', "Missing 'Next' target: D", '/States/S/Branches[2]/States/C/Next'],
    ]);
  });

  it('refuses a QueryLanguage on a branch', () => {
    expect(problems(single({ Type: 'Parallel', Branches: [{ ...BRANCH, QueryLanguage: 'JSONata' }], End: true }))).toEqual([
      [SCHEMA, "Field 'QueryLanguage' is not supported", '/States/S/Branches[0]'],
    ]);
  });
});

describe('Map state', () => {
  const map = (fields: Record<string, unknown>, top: Record<string, unknown> = {}) => single({ Type: 'Map', End: true, ...fields }, top);

  it('needs exactly one of ItemProcessor and Iterator', () => {
    expect(problems(map({}))).toEqual([[SCHEMA, 'This object should have only one of the following fields: [ItemProcessor, Iterator]', '/States/S']]);
    expect(problems(map({ ItemProcessor: PROCESSOR, Iterator: { StartAt: 'J', States: { J: { Type: 'Pass', End: true } } } }))).toEqual([
      [SCHEMA, 'There should only be one of the following fields: [ItemProcessor, Iterator]', '/States/S'],
    ]);
    expect(problems(map({ Iterator: PROCESSOR }))).toEqual([]);
  });

  it('checks ProcessorConfig, and refuses DISTRIBUTED in EXPRESS machines', () => {
    expect(problems(map({ ItemProcessor: { ...PROCESSOR, ProcessorConfig: { Mode: 'BATCH' } } }))).toEqual([
      [SCHEMA, 'Value should be one of the following: [INLINE, DISTRIBUTED]', '/States/S/ItemProcessor/ProcessorConfig/Mode'],
    ]);
    const distributed = map({ ItemProcessor: { ...PROCESSOR, ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } } });
    expect(problems(distributed)).toEqual([]);
    expect(problems(distributed, { stateMachineType: 'EXPRESS' })).toEqual([
      [SCHEMA, "The field 'Mode' with value 'DISTRIBUTED' is not supported inside 'EXPRESS' state machines", '/States/S/ItemProcessor/ProcessorConfig/Mode'],
    ]);
    expect(problems(map({ ItemProcessor: { ...PROCESSOR, QueryLanguage: 'JSONata' } }))).toEqual([[SCHEMA, "Field 'QueryLanguage' is not supported", '/States/S/ItemProcessor']]);
  });

  it('checks MaxConcurrency and the tolerated failure fields', () => {
    expect(problems(map({ ItemProcessor: PROCESSOR, MaxConcurrency: -1 }))).toEqual([[SCHEMA, 'Minimum value is 0', '/States/S/MaxConcurrency']]);
    expect(problems(map({ ItemProcessor: PROCESSOR, MaxConcurrency: 2, MaxConcurrencyPath: '$.limit' }))).toEqual([
      [SCHEMA, 'There should only be one of the following fields: [MaxConcurrency, MaxConcurrencyPath]', '/States/S/MaxConcurrency'],
    ]);
    expect(problems(map({ ItemProcessor: PROCESSOR, MaxConcurrencyPath: '$.limits[*]' }))).toEqual([[SCHEMA, 'Value is not a Reference Path', '/States/S/MaxConcurrencyPath']]);
    expect(problems(map({ ItemProcessor: PROCESSOR, ToleratedFailurePercentage: 100.5 }))).toEqual([[SCHEMA, 'Maximum value is 100.0', '/States/S/ToleratedFailurePercentage']]);
    expect(problems(map({ ItemProcessor: PROCESSOR, ToleratedFailurePercentage: -1 }))).toEqual([[SCHEMA, 'Minimum value is 0.0', '/States/S/ToleratedFailurePercentage']]);
    expect(problems(map({ ItemProcessor: PROCESSOR, ToleratedFailureCount: 1.5 }))).toEqual([[SCHEMA, 'Expected value of type [INTEGER]', '/States/S/ToleratedFailureCount']]);
    expect(problems(map({ ItemProcessor: PROCESSOR, MaxConcurrency: 9007199254740991, ToleratedFailureCount: 0, ToleratedFailurePercentage: 12.5 }))).toEqual([]);
  });

  it('keeps ItemSelector and the legacy Parameters apart and checks their paths', () => {
    expect(problems(map({ ItemProcessor: PROCESSOR, ItemSelector: {}, Parameters: {} }))).toEqual([
      [SCHEMA, 'There should only be one of the following fields: [ItemSelector, Parameters]', '/States/S/ItemSelector'],
    ]);
    expect(problems(map({ ItemProcessor: PROCESSOR, ItemSelector: { 'v.$': '$$.Map.Item.Value', 'i.$': 'index' } }))).toEqual([
      [SCHEMA, "The value for the field 'i.$' must be a valid JSONPath or a valid intrinsic function call", '/States/S/ItemSelector'],
    ]);
  });

  it('takes Items in JSONata and ItemsPath in JSONPath', () => {
    expect(problems(map({ ItemProcessor: PROCESSOR, ItemsPath: '$.items' }))).toEqual([]);
    expect(problems(map({ ItemProcessor: PROCESSOR, Items: [1] }))).toEqual([
      [SCHEMA, "The QueryLanguage is set to 'JSONPath', but field 'Items' is only supported for the 'JSONata' QueryLanguage", '/States/S'],
    ]);
    expect(problems(map({ ItemProcessor: PROCESSOR, Items: '{% $states.input.items %}' }, { QueryLanguage: 'JSONata' }))).toEqual([]);
    expect(problems(map({ ItemProcessor: PROCESSOR, Items: 5 }, { QueryLanguage: 'JSONata' }))).toEqual([[SCHEMA, 'Expected value of type [ARRAY]', '/States/S/Items']]);
  });

  it('checks ItemReader, ItemBatcher and ResultWriter', () => {
    const distributed = { ...PROCESSOR, ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' } };
    const reader = { Resource: 'arn:aws:states:::s3:getObject', ReaderConfig: { InputType: 'CSV', CSVHeaderLocation: 'FIRST_ROW', MaxItems: 10 }, Parameters: { 'Bucket.$': '$.b', Key: 'k' } };
    // AWS's schema rules only (Baton's own limits are the tests below).
    const schema = (def: unknown) => problems(def).filter(([, message]) => !message.includes('not supported by Baton'));
    expect(schema(map({ ItemProcessor: distributed, ItemReader: reader }))).toEqual([]);
    expect(schema(map({ ItemProcessor: distributed, ItemReader: { ...reader, Resource: 'arn:aws:states:::s3:unknownOperation' } }))).toEqual([
      [SCHEMA, 'The resource provided arn:aws:states:::s3:unknownOperation is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.', '/States/S/ItemReader/Resource'],
    ]);
    expect(schema(map({ ItemProcessor: distributed, ItemReader: { ...reader, ReaderConfig: { InputType: 'XML' } } }))).toEqual([
      [SCHEMA, 'Value should be one of the following: [CSV, JSON, JSONL, MANIFEST, PARQUET]', '/States/S/ItemReader/ReaderConfig/InputType'],
    ]);
    expect(schema(map({ ItemProcessor: distributed, ItemBatcher: { MaxInputBytesPerBatch: 262145 } }))).toEqual([
      [SCHEMA, 'Maximum value is 262144', '/States/S/ItemBatcher/MaxInputBytesPerBatch'],
    ]);
    expect(schema(map({ ItemProcessor: distributed, ResultWriter: {} }))).toEqual([[SCHEMA, 'These fields are required: [Resource]', '/States/S/ResultWriter']]);
    expect(schema(map({ ItemProcessor: distributed, ResultWriter: { Resource: 'arn:aws:states:::s3:putObject' } }))).toEqual([
      [SCHEMA, 'These fields are required: [Parameters]', '/States/S/ResultWriter'],
    ]);
    expect(schema(map({ ItemProcessor: distributed, ResultWriter: { WriterConfig: { Transformation: 'COMPACT' } } }))).toEqual([
      [SCHEMA, 'These fields are required: [OutputType]', '/States/S/ResultWriter/WriterConfig'],
    ]);
  });
});
