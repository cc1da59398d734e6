/**
 * What Baton runs of a Distributed Map, checked at create time. AWS's own schema rules for ItemReader,
 * ItemBatcher and ResultWriter live in map-state.ts; this module adds Baton's limits on top: every reader
 * resource, reader option or writer option Baton does not implement is an InvalidDefinition error naming the
 * field, so that a definition is never accepted and then run differently (the house rule "never accept and then
 * ignore"). The wording says it is Baton's limit, not AWS's.
 *
 * Supported: ItemReader `s3:getObject` (InputType JSON, JSONL, CSV with CSVHeaderLocation / CSVHeaders /
 * CSVDelimiter, MANIFEST for an S3 Inventory report's manifest.json with ManifestType S3_INVENTORY or none;
 * MaxItems / MaxItemsPath; Parameters Bucket, Key, VersionId) and `s3:listObjectsV2` (Bucket, Prefix; MaxItems);
 * every ItemBatcher field; ResultWriter `s3:putObject` (Bucket, Prefix) with WriterConfig.
 * Not yet: InputType PARQUET, ManifestType ATHENA_DATA (or any ManifestType without InputType MANIFEST), a reader
 * Transformation other than NONE.
 */
import { isJsonObject, type Json, type JsonObject } from '../json.js';
import { at } from './diagnostics.js';
import type { ValidationContext } from './context.js';

export function notImplemented(field: string, what = `The field '${field}'`): string {
  return `${what} is not supported by Baton yet (it would be ignored, so the definition is refused)`;
}

const GET_OBJECT_PARAMETERS = ['Bucket', 'Key', 'VersionId'];
const LIST_OBJECTS_PARAMETERS = ['Bucket', 'Prefix'];
const WRITER_PARAMETERS = ['Bucket', 'Prefix'];
const INPUT_TYPES = ['JSON', 'JSONL', 'CSV', 'MANIFEST'];

/** Keys of a Parameters template (`Key.$` counts as `Key`) or of a literal Arguments object. */
function requestKeys(request: Json | undefined): string[] {
  if (!isJsonObject(request)) return [];
  return Object.keys(request).map((k) => (k.endsWith('.$') ? k.slice(0, -2) : k));
}

function checkRequest(ctx: ValidationContext, object: JsonObject, location: string, allowed: readonly string[]): void {
  for (const field of ['Parameters', 'Arguments']) {
    for (const key of requestKeys(object[field])) {
      if (!allowed.includes(key)) ctx.report.schema(notImplemented(key, `The parameter '${key}'`), at(at(location, field), key));
    }
  }
}

function checkReader(ctx: ValidationContext, reader: JsonObject, location: string): void {
  const resource = typeof reader.Resource === 'string' ? reader.Resource : '';
  const list = resource.endsWith(':listObjectsV2');
  checkRequest(ctx, reader, location, list ? LIST_OBJECTS_PARAMETERS : GET_OBJECT_PARAMETERS);
  if (!isJsonObject(reader.ReaderConfig)) return;
  const config = reader.ReaderConfig;
  const loc = at(location, 'ReaderConfig');
  if (typeof config.InputType === 'string' && !INPUT_TYPES.includes(config.InputType)) {
    ctx.report.schema(notImplemented('InputType', `InputType '${config.InputType}'`), at(loc, 'InputType'));
  }
  // An S3 Inventory manifest (InputType MANIFEST) is the one manifest Baton reads; S3_INVENTORY names it.
  if ('ManifestType' in config && !(config.ManifestType === 'S3_INVENTORY' && config.InputType === 'MANIFEST')) {
    const what = config.InputType === 'MANIFEST' ? `ManifestType ${JSON.stringify(config.ManifestType)}` : "The field 'ManifestType' without InputType MANIFEST";
    ctx.report.schema(notImplemented('ManifestType', what), at(loc, 'ManifestType'));
  }
  if ('Transformation' in config && config.Transformation !== 'NONE') ctx.report.schema(notImplemented('Transformation'), at(loc, 'Transformation'));
  if (list) {
    for (const field of ['InputType', 'CSVHeaderLocation', 'CSVHeaders', 'CSVDelimiter']) {
      if (field in config) ctx.report.schema(notImplemented(field, `The field '${field}' with s3:listObjectsV2`), at(loc, field));
    }
    return;
  }
  // CSV options that would not be read: on another input type, or headers given while the first row is used.
  for (const field of ['CSVHeaderLocation', 'CSVHeaders', 'CSVDelimiter']) {
    if (field in config && config.InputType !== 'CSV') ctx.report.schema(notImplemented(field, `The field '${field}' without InputType CSV`), at(loc, field));
  }
  if (config.InputType === 'CSV' && 'CSVHeaders' in config && config.CSVHeaderLocation !== 'GIVEN') {
    ctx.report.schema(notImplemented('CSVHeaders', "The field 'CSVHeaders' unless CSVHeaderLocation is GIVEN"), at(loc, 'CSVHeaders'));
  }
  if (config.InputType === 'CSV' && config.CSVHeaderLocation === 'GIVEN' && !('CSVHeaders' in config)) {
    ctx.report.schema("CSVHeaderLocation GIVEN needs CSVHeaders (Baton has no headers to give the rows otherwise)", at(loc, 'CSVHeaderLocation'));
  }
}

/** Reports the Distributed Map fields of a Map state that Baton cannot run. */
export function checkDistributedSupport(ctx: ValidationContext, state: JsonObject, location: string): void {
  const processor = state.ItemProcessor ?? state.Iterator;
  const config = isJsonObject(processor) && isJsonObject(processor.ProcessorConfig) ? processor.ProcessorConfig : {};
  const distributed = config.Mode === 'DISTRIBUTED';
  for (const field of ['ItemReader', 'ItemBatcher', 'ResultWriter']) {
    if (field in state && !distributed) {
      ctx.report.schema(notImplemented(field, `The field '${field}' outside a DISTRIBUTED Map`), at(location, field));
    }
  }
  if (!distributed) return;
  if (isJsonObject(state.ItemReader)) checkReader(ctx, state.ItemReader, at(location, 'ItemReader'));
  if (isJsonObject(state.ResultWriter)) checkWriter(ctx, state.ResultWriter, at(location, 'ResultWriter'));
}

/** Without a Resource the results become the state output; Baton shapes that output only as a JSON array. */
function checkWriter(ctx: ValidationContext, writer: JsonObject, location: string): void {
  checkRequest(ctx, writer, location, WRITER_PARAMETERS);
  const config = writer.WriterConfig;
  if (!('Resource' in writer) && isJsonObject(config) && config.OutputType === 'JSONL') {
    ctx.report.schema(notImplemented('OutputType', "OutputType 'JSONL' without a Resource (results in the state output)"), at(at(location, 'WriterConfig'), 'OutputType'));
  }
}
