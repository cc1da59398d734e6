/**
 * Resolves a Distributed Map's ItemReader, ItemBatcher and ResultWriter against the state's input, once, as the
 * state starts (see map-run/spec.ts). JSONPath states resolve Parameters as payload templates and `...Path` fields
 * as reference paths (variables included: `"MaxItemsPath": "$maxItems"`); JSONata states evaluate Arguments and
 * `{% %}` fields. AWS accepts numeric strings in the numeric fields ("2" from a variable, recorded), and reports a
 * negative MaxItems as States.ItemReaderFailed "field MaxItems must be positive" once the Map Run has started.
 */
import { isJsonObject, type Json, type JsonObject } from '../json.js';
import { StatesError } from '../errors.js';
import { evaluateJsonataValue, type JsonataScope } from '../jsonata/index.js';
import type { MapNode } from '../model/nodes.js';
import { selectPath, type PathScope } from '../path/index.js';
import {
  MAX_READER_ITEMS, type BatcherSpec, type CsvDelimiter, type ItemSource, type ReaderConfig, type WriterSpec,
} from '../map-run/spec.js';
import { templateStage } from './dataflow-jsonpath.js';

/** How one query language evaluates the Map's fields. */
export interface FieldEvaluator {
  /** A Parameters / Arguments / BatchInput object. */
  template(value: Json, field: string): Promise<Json>;
  /** A numeric field: a literal, its `...Path` twin (JSONPath) or an expression (JSONata). */
  value(literal: Json | undefined, path: Json | undefined, field: string): Promise<Json | undefined>;
}

export function jsonPathEvaluator(effective: Json, scope: Omit<PathScope, 'input'>): FieldEvaluator {
  return {
    template: async (value) => templateStage(value, effective, scope),
    value: async (literal, path) => {
      if (typeof path === 'string') return selectPath(path, { ...scope, input: effective });
      return literal;
    },
  };
}

export function jsonataEvaluator(scope: JsonataScope): FieldEvaluator {
  return {
    template: (value, field) => evaluateJsonataValue(value, scope, field),
    value: async (literal, _path, field) => (literal === undefined ? undefined : evaluateJsonataValue(literal, scope, field)),
  };
}

/** A whole number from a number or a numeric string; undefined when the value is neither. */
function integerOf(value: Json | undefined): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) ? n : undefined;
}

function readerFailed(cause: string): StatesError {
  return new StatesError('States.ItemReaderFailed', cause);
}

function field(object: JsonObject, name: string): Json | undefined {
  return object[name];
}

/** The ItemReader as a source of items. Throws States.ItemReaderFailed for what AWS reports once the run started. */
export async function resolveItemSource(node: MapNode, ev: FieldEvaluator): Promise<ItemSource> {
  const reader = node.itemReader as JsonObject;
  const resource = String(reader.Resource);
  const request = reader.Parameters ?? reader.Arguments;
  const params = request === undefined ? {} : await ev.template(request, 'ItemReader');
  if (!isJsonObject(params)) throw readerFailed('The ItemReader parameters must be a JSON object');
  const config = isJsonObject(reader.ReaderConfig) ? reader.ReaderConfig : {};
  const maxItemsValue = await ev.value(field(config, 'MaxItems'), field(config, 'MaxItemsPath'), 'MaxItems');
  let maxItems = 0;
  if (maxItemsValue !== undefined) {
    const n = integerOf(maxItemsValue);
    if (n === undefined || n < 0) throw readerFailed('field MaxItems must be positive');
    maxItems = Math.min(n, MAX_READER_ITEMS);
  }
  const bucket = params.Bucket;
  if (typeof bucket !== 'string' || bucket === '') throw readerFailed("The ItemReader parameter 'Bucket' must be a non-empty string");
  checkParameterNames(params, resource.endsWith(':listObjectsV2') ? ['Bucket', 'Prefix'] : ['Bucket', 'Key', 'VersionId']);
  if (resource.endsWith(':listObjectsV2')) {
    const prefix = params.Prefix;
    if (prefix !== undefined && typeof prefix !== 'string') throw readerFailed("The ItemReader parameter 'Prefix' must be a string");
    return { kind: 's3:listObjectsV2', bucket, ...(prefix !== undefined ? { prefix } : {}), maxItems };
  }
  const key = params.Key;
  if (typeof key !== 'string' || key === '') throw readerFailed("The ItemReader parameter 'Key' must be a non-empty string");
  const versionId = params.VersionId;
  return {
    kind: 's3:getObject', bucket, key, ...(typeof versionId === 'string' ? { versionId } : {}),
    reader: readerConfig(config, maxItems),
  };
}

/** Names Baton does not pass to S3 are refused rather than dropped (an Arguments expression can produce any). */
function checkParameterNames(params: JsonObject, allowed: readonly string[]): void {
  for (const name of Object.keys(params)) {
    if (!allowed.includes(name)) throw readerFailed(`The ItemReader parameter '${name}' is not supported by Baton`);
  }
}

function readerConfig(config: JsonObject, maxItems: number): ReaderConfig {
  const inputType = (config.InputType ?? 'JSON') as ReaderConfig['inputType'];
  const out: ReaderConfig = { inputType, maxItems };
  if (inputType === 'CSV') {
    out.csvHeaderLocation = config.CSVHeaderLocation === 'GIVEN' ? 'GIVEN' : 'FIRST_ROW';
    if (Array.isArray(config.CSVHeaders)) {
      const headers = config.CSVHeaders.map(String);
      if (out.csvHeaderLocation === 'GIVEN' && new Set(headers).size !== headers.length) throw readerFailed('CSV headers cannot contain duplicates.');
      out.csvHeaders = headers;
    }
    if (typeof config.CSVDelimiter === 'string') out.csvDelimiter = config.CSVDelimiter as CsvDelimiter;
  }
  return out;
}

/** ItemBatcher: the two limits (numbers, numeric strings, paths or expressions) and BatchInput. */
export async function resolveBatcher(node: MapNode, ev: FieldEvaluator): Promise<BatcherSpec> {
  const batcher = node.itemBatcher as JsonObject;
  const limit = async (name: string): Promise<number> => {
    const value = await ev.value(batcher[name], batcher[`${name}Path`], name);
    if (value === undefined) return 0;
    const n = integerOf(value);
    if (n === undefined || n < 0) {
      throw new StatesError('States.Runtime', `The ${name} field refers to value "${typeof value === 'string' ? value : JSON.stringify(value)}" which is not a valid positive integer`);
    }
    return n;
  };
  const spec: BatcherSpec = { maxItemsPerBatch: await limit('MaxItemsPerBatch'), maxInputBytesPerBatch: await limit('MaxInputBytesPerBatch') };
  if (batcher.BatchInput !== undefined) spec.batchInput = await ev.template(batcher.BatchInput, 'BatchInput');
  return spec;
}

/** ResultWriter: the S3 destination (Parameters / Arguments) and WriterConfig (defaults as AWS documents them). */
export async function resolveWriter(node: MapNode, ev: FieldEvaluator): Promise<WriterSpec> {
  const writer = node.resultWriter as JsonObject;
  const config = isJsonObject(writer.WriterConfig) ? writer.WriterConfig : undefined;
  const spec: WriterSpec = {
    // NONE is the default when the results are exported; COMPACT when only WriterConfig is given.
    transformation: (config?.Transformation as WriterSpec['transformation'] | undefined) ?? 'NONE',
    outputType: (config?.OutputType as WriterSpec['outputType'] | undefined) ?? 'JSON',
  };
  if (writer.Resource === undefined) return spec;
  const request = writer.Parameters ?? writer.Arguments;
  const params = request === undefined ? {} : await ev.template(request, 'ResultWriter');
  if (!isJsonObject(params) || typeof params.Bucket !== 'string' || params.Bucket === '') {
    throw new StatesError('States.ResultWriterFailed', "The ResultWriter parameter 'Bucket' must be a non-empty string");
  }
  for (const name of Object.keys(params)) {
    if (name !== 'Bucket' && name !== 'Prefix') throw new StatesError('States.ResultWriterFailed', `The ResultWriter parameter '${name}' is not supported by Baton`);
  }
  spec.bucket = params.Bucket;
  if (params.Prefix !== undefined) spec.prefix = String(params.Prefix);
  return spec;
}
