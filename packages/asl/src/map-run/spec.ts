/**
 * A Distributed Map's Map Run as the interpreter resolves it when the state starts (AWS developer guide, "Using Map
 * state in Distributed mode"): every field that reads the state input (reader Parameters / Arguments, MaxItems,
 * the ItemBatcher limits and BatchInput, the ResultWriter Bucket / Prefix, MaxConcurrency, ToleratedFailure*) is
 * evaluated once, here, so the engine that runs the children works from plain values. ItemSelector is the one
 * field evaluated per item; `selector` carries what it sees (the state's input, context object and variables).
 */
import type { Json, JsonObject } from '../json.js';
import type { QueryLanguage } from '../model/nodes.js';

/** AWS runs at most 10,000 child executions of one Map Run at a time; MaxConcurrency 0 means that many. */
export const MAX_MAP_RUN_CONCURRENCY = 10_000;
/** The Distributed Map stops reading items beyond this many (AWS: "MaxItems ... up to 100,000,000"). */
export const MAX_READER_ITEMS = 100_000_000;

export type CsvDelimiter = 'COMMA' | 'PIPE' | 'SEMICOLON' | 'SPACE' | 'TAB';

/** Where the items come from: the state input (ItemsPath / Items), or S3 (ItemReader). */
export type ItemSource =
  | { kind: 'inline'; items: Json[] }
  | { kind: 's3:getObject'; bucket: string; key: string; versionId?: string; reader: ReaderConfig }
  | { kind: 's3:listObjectsV2'; bucket: string; prefix?: string; maxItems: number };

export interface ReaderConfig {
  inputType: 'JSON' | 'JSONL' | 'CSV' | 'MANIFEST';
  /** CSV: FIRST_ROW (default) or GIVEN with `csvHeaders`. */
  csvHeaderLocation?: 'FIRST_ROW' | 'GIVEN';
  csvHeaders?: string[];
  csvDelimiter?: CsvDelimiter;
  /** 0: every item (up to MAX_READER_ITEMS). */
  maxItems: number;
}

export interface BatcherSpec {
  /** 0: no limit on the count (the byte limit applies). */
  maxItemsPerBatch: number;
  /** 0: no limit on the size (the count limit applies). */
  maxInputBytesPerBatch: number;
  batchInput?: Json;
}

/** What ItemSelector sees: `$` / `$states.input`, `$$` / `$states.context` (Map.Item added per item), variables. */
export interface SelectorSpec {
  queryLanguage: QueryLanguage;
  template: Json;
  input: Json;
  context: JsonObject;
  variables: Record<string, Json>;
}

export interface WriterSpec {
  /** Absent: WriterConfig only (the results are transformed into the state output, nothing is exported). */
  bucket?: string;
  prefix?: string;
  transformation: 'NONE' | 'COMPACT' | 'FLATTEN';
  outputType: 'JSON' | 'JSONL';
}

export interface StartMapRunCommand {
  kind: 'startMapRun';
  mapRunArn: string;
  runId: string;
  stateName: string;
  /** The Label, or the state name: child executions run state machine `<state machine name>/<label>`. */
  label: string;
  executionType: 'STANDARD' | 'EXPRESS';
  /** The ItemProcessor as a standalone definition (StartAt, States, and the query language it inherits). */
  processor: JsonObject;
  /** 1..MAX_MAP_RUN_CONCURRENCY (MaxConcurrency 0 is resolved to the maximum). */
  maxConcurrency: number;
  toleratedFailureCount?: number;
  toleratedFailurePercentage?: number;
  source: ItemSource;
  batcher?: BatcherSpec;
  selector?: SelectorSpec;
  writer?: WriterSpec;
  /** The Map Run failed as it started (e.g. MaxItems negative): recorded as FAILED, nothing runs. */
  failed?: { error: string; cause?: string };
}
