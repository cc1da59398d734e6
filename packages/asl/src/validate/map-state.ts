/**
 * Map state (AWS developer guide, "Map workflow state", inline and distributed): exactly one of ItemProcessor and
 * its legacy spelling Iterator (a nested machine; its ProcessorConfig takes Mode INLINE | DISTRIBUTED and
 * ExecutionType STANDARD | EXPRESS); ItemsPath (JSONPath reference path) or Items (JSONata array or expression);
 * ItemSelector or the legacy Parameters, not both; MaxConcurrency and ToleratedFailureCount (non-negative
 * integers), ToleratedFailurePercentage (0.0 to 100.0), each with a `...Path` twin; ItemReader, ItemBatcher and
 * ResultWriter for distributed maps; Retry and Catch. EXPRESS machines cannot run a DISTRIBUTED Map.
 */
import { isJsonObject, type Json, type JsonObject } from '../json.js';
import { at } from './diagnostics.js';
import type { QueryLanguage, ValidationContext } from './context.js';
import { checkJsonataValue, isJsonataString } from './jsonata-check.js';
import { message } from './messages.js';
import { checkPayloadTemplate, checkReferencePathField } from './paths.js';
import { checkCatch, checkRetry } from './retry-catch.js';
import {
  checkAllowedFields, checkArray, checkAtMostOne, checkEnum, checkObject, checkRequired, checkString,
} from './value-checks.js';
import { checkJsonataObjectField, checkTemplateField } from './data-fields.js';
import type { CheckNested } from './nested.js';
import { checkNumericPair } from './numeric-fields.js';
import { checkDistributedSupport } from './distributed-support.js';

const NO_ERROR_OUTPUT = { errorOutput: false } as const;
const PARTITION = 'aws(?:-[a-z]+)*';
const READER_RESOURCES = new RegExp(`^arn:${PARTITION}:states:::s3:(?:getObject|listObjectsV2)$`);
const WRITER_RESOURCES = new RegExp(`^arn:${PARTITION}:states:::s3:putObject$`);

function notRecognized(arn: string): string {
  return `The resource provided ${arn} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.`;
}

/** Parameters (JSONPath) or Arguments (JSONata) of an ItemReader / ResultWriter. */
function checkRequestFields(ctx: ValidationContext, object: JsonObject, location: string, language: QueryLanguage): void {
  if (language === 'JSONPath') {
    if ('Arguments' in object) ctx.report.schema(message.jsonataOnly('Arguments'), at(location, 'Arguments'));
    if ('Parameters' in object) checkTemplateField(ctx, object, 'Parameters', location);
  } else {
    if ('Parameters' in object) ctx.report.schema(message.jsonPathOnly('Parameters'), at(location, 'Parameters'));
    if ('Arguments' in object) checkJsonataObjectField(ctx, object, 'Arguments', location);
  }
}

function checkItemReader(ctx: ValidationContext, value: Json | undefined, location: string, language: QueryLanguage): void {
  const { report } = ctx;
  if (!checkObject(report, value, location)) return;
  checkAllowedFields(report, value, location, new Set(['Resource', 'ReaderConfig', 'Parameters', 'Arguments']));
  if (checkRequired(report, value, location, ['Resource'])) {
    const loc = at(location, 'Resource');
    if (checkString(report, value.Resource, loc) && !READER_RESOURCES.test(value.Resource)) report.schema(notRecognized(value.Resource), loc);
  }
  checkRequestFields(ctx, value, location, language);
  if (!('ReaderConfig' in value)) return;
  const configLoc = at(location, 'ReaderConfig');
  const config = value.ReaderConfig;
  if (!checkObject(report, config, configLoc)) return;
  checkAllowedFields(report, config, configLoc, new Set([
    'InputType', 'CSVHeaderLocation', 'CSVHeaders', 'CSVDelimiter', 'MaxItems', 'MaxItemsPath', 'ManifestType', 'Transformation',
  ]));
  if ('InputType' in config) checkEnum(report, config.InputType, at(configLoc, 'InputType'), ['CSV', 'JSON', 'JSONL', 'MANIFEST', 'PARQUET']);
  if ('CSVHeaderLocation' in config) checkEnum(report, config.CSVHeaderLocation, at(configLoc, 'CSVHeaderLocation'), ['FIRST_ROW', 'GIVEN']);
  if ('CSVDelimiter' in config) checkEnum(report, config.CSVDelimiter, at(configLoc, 'CSVDelimiter'), ['COMMA', 'PIPE', 'SEMICOLON', 'SPACE', 'TAB']);
  if ('CSVHeaders' in config && checkArray(report, config.CSVHeaders, at(configLoc, 'CSVHeaders'))) {
    config.CSVHeaders.forEach((h, i) => checkString(report, h, `${at(configLoc, 'CSVHeaders')}[${i}]`));
  }
  checkNumericPair(ctx, config, configLoc, language, { field: 'MaxItems', range: { min: 0, max: 100000000 } });
}

function checkItemBatcher(ctx: ValidationContext, value: Json | undefined, location: string, language: QueryLanguage): void {
  const { report } = ctx;
  if (!checkObject(report, value, location)) return;
  checkAllowedFields(report, value, location, new Set([
    'MaxItemsPerBatch', 'MaxItemsPerBatchPath', 'MaxInputBytesPerBatch', 'MaxInputBytesPerBatchPath', 'BatchInput',
  ]));
  checkNumericPair(ctx, value, location, language, { field: 'MaxItemsPerBatch', range: { min: 0 } });
  checkNumericPair(ctx, value, location, language, { field: 'MaxInputBytesPerBatch', range: { min: 0, max: 262144 } });
  if ('BatchInput' in value) {
    const loc = at(location, 'BatchInput');
    if (language === 'JSONPath') {
      if (checkObject(report, value.BatchInput, loc)) checkPayloadTemplate(report, value.BatchInput, loc);
    } else {
      checkJsonataObjectField(ctx, value, 'BatchInput', location);
    }
  }
}

function checkResultWriter(ctx: ValidationContext, value: Json | undefined, location: string, language: QueryLanguage): void {
  const { report } = ctx;
  if (!checkObject(report, value, location)) return;
  checkAllowedFields(report, value, location, new Set(['Resource', 'Parameters', 'Arguments', 'WriterConfig']));
  const request = language === 'JSONPath' ? 'Parameters' : 'Arguments';
  if (!('Resource' in value) && !('WriterConfig' in value)) report.schema(message.required(['Resource']), location);
  if ('Resource' in value) {
    const loc = at(location, 'Resource');
    if (checkString(report, value.Resource, loc) && !WRITER_RESOURCES.test(value.Resource)) report.schema(notRecognized(value.Resource), loc);
    if (!(request in value)) report.schema(message.required([request]), location);
  }
  checkRequestFields(ctx, value, location, language);
  if ('WriterConfig' in value) {
    const loc = at(location, 'WriterConfig');
    const config = value.WriterConfig;
    if (checkObject(report, config, loc)) {
      checkAllowedFields(report, config, loc, new Set(['Transformation', 'OutputType']));
      checkRequired(report, config, loc, ['Transformation', 'OutputType']);
      if ('Transformation' in config) checkEnum(report, config.Transformation, at(loc, 'Transformation'), ['NONE', 'COMPACT', 'FLATTEN']);
      if ('OutputType' in config) checkEnum(report, config.OutputType, at(loc, 'OutputType'), ['JSON', 'JSONL']);
    }
  }
}

function checkProcessorConfig(ctx: ValidationContext, processor: Json | undefined, location: string): void {
  if (!isJsonObject(processor) || !('ProcessorConfig' in processor)) return;
  const { report } = ctx;
  const loc = at(location, 'ProcessorConfig');
  const config = processor.ProcessorConfig;
  if (!checkObject(report, config, loc)) return;
  checkAllowedFields(report, config, loc, new Set(['Mode', 'ExecutionType']));
  if ('Mode' in config && checkEnum(report, config.Mode, at(loc, 'Mode'), ['INLINE', 'DISTRIBUTED'])) {
    if (config.Mode === 'DISTRIBUTED' && ctx.machineType === 'EXPRESS') {
      report.schema("The field 'Mode' with value 'DISTRIBUTED' is not supported inside 'EXPRESS' state machines", at(loc, 'Mode'));
    }
  }
  if ('ExecutionType' in config) checkEnum(report, config.ExecutionType, at(loc, 'ExecutionType'), ['STANDARD', 'EXPRESS']);
}

function checkItems(ctx: ValidationContext, state: JsonObject, location: string): void {
  const loc = at(location, 'Items');
  const items = state.Items;
  if (!Array.isArray(items) && !isJsonObject(items) && !isJsonataString(items)) {
    ctx.report.schema(message.type('ARRAY'), loc);
    return;
  }
  checkJsonataValue(ctx.report, items, loc, NO_ERROR_OUTPUT);
}

export function checkMap(
  ctx: ValidationContext,
  state: JsonObject,
  location: string,
  language: QueryLanguage,
  nested: CheckNested,
): void {
  const { report } = ctx;
  const processors = ['ItemProcessor', 'Iterator'].filter((f) => f in state);
  if (processors.length === 0) report.schema(message.exactlyOneOf(['ItemProcessor', 'Iterator']), location);
  else if (processors.length > 1) report.schema(message.onlyOneOf(['ItemProcessor', 'Iterator']), location);
  for (const field of processors) {
    const loc = at(location, field);
    checkProcessorConfig(ctx, state[field], loc);
    nested(state[field], loc, 'processor');
  }

  if (language === 'JSONPath' && 'ItemsPath' in state) checkReferencePathField(report, state.ItemsPath, at(location, 'ItemsPath'), false);
  if (language === 'JSONata' && 'Items' in state) checkItems(ctx, state, location);
  checkAtMostOne(report, state, location, ['ItemSelector', 'Parameters']);
  if ('ItemSelector' in state) {
    if (language === 'JSONPath') checkTemplateField(ctx, state, 'ItemSelector', location);
    else checkJsonataObjectField(ctx, state, 'ItemSelector', location);
  }
  if (language === 'JSONPath' && 'Parameters' in state) checkTemplateField(ctx, state, 'Parameters', location);

  checkNumericPair(ctx, state, location, language, { field: 'MaxConcurrency', range: { min: 0 } });
  checkNumericPair(ctx, state, location, language, { field: 'ToleratedFailureCount', range: { min: 0 } });
  checkNumericPair(ctx, state, location, language, { field: 'ToleratedFailurePercentage', range: { min: 0, max: 100 }, decimal: true });
  if ('Label' in state) checkString(report, state.Label, at(location, 'Label'));
  if ('ItemReader' in state) checkItemReader(ctx, state.ItemReader, at(location, 'ItemReader'), language);
  if ('ItemBatcher' in state) checkItemBatcher(ctx, state.ItemBatcher, at(location, 'ItemBatcher'), language);
  if ('ResultWriter' in state) checkResultWriter(ctx, state.ResultWriter, at(location, 'ResultWriter'), language);
  checkDistributedSupport(ctx, state, location);
  if ('Retry' in state) checkRetry(ctx, state.Retry, at(location, 'Retry'));
  if ('Catch' in state) checkCatch(ctx, state.Catch, at(location, 'Catch'), language);
}
