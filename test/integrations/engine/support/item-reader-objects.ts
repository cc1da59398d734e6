/**
 * The S3 objects the recorded Distributed Map ItemReader cases read. The recordings carry the definitions, inputs
 * and outputs but not the objects: those below come from the test code that recorded them (LocalStack's
 * test_base_scenarios.py: the CSV files, the three-statement JSON file, the non-array JSON), except three,
 * reconstructed from what the recorded runs returned and marked so: `json_max_items` (its first two items are the
 * same statement), `MAX_PER_BATCH_PATH` (a fourth statement) and `with_items_path` (an array holding one array).
 * Each case gets its own bucket in s3rver; the recorded bucket name `bucket-x` is mapped onto it.
 */
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';

const SPEECH = { verdict: 'true', statement_date: '6/11/2008', statement_source: 'speech' };
const TELEVISION = { verdict: 'false', statement_date: '6/7/2022', statement_source: 'television' };
const NEWS = { verdict: 'mostly-true', statement_date: '5/18/2016', statement_source: 'news' };
const STATEMENTS = JSON.stringify([SPEECH, TELEVISION, NEWS]);
const ROWS = 'Value1,Value2,Value3\nValue4,Value5,Value6\n,,,\ntrue,1,\'HelloWorld\'\nNull,None,\n   \n';
const MAX_ITEMS_CSV = 'Col1,Col2\nValue1,Value2\nValue3,Value4\nValue5,Value6\nValue7,Value8\n';

/** Test-id fragment -> the object's body (first match wins: more specific fragments first). */
const OBJECTS: [string, string][] = [
  ['test_map_item_reader_base_csv_headers_first_line', `Col1,Col2,Col3\n${ROWS}`],
  ['test_map_item_reader_csv_headers_first_row_typed_headers', '0,True,{}\nValue4,Value5,Value6\n,,,\ntrue,1,\'HelloWorld\'\nNull,None,\n   \n'],
  ['test_map_item_reader_csv_first_row_extra_fields', 'H1,\nValue4,Value5,Value6\n,,,\ntrue,1,\'HelloWorld\'\nNull,None,\n   \n'],
  ['test_map_item_reader_base_csv_headers_decl', ROWS],
  ['test_map_item_reader_csv_headers_decl', ROWS],
  ['test_map_item_reader_csv_max_items', MAX_ITEMS_CSV],
  ['test_map_item_reader_json_no_json_list_object', JSON.stringify({ Hello: 'world' })],
  // Reconstructed from the recorded output (the recording's object is not in the corpus).
  ['test_map_item_reader_base_json_max_items_jsonata', STATEMENTS],
  ['test_map_item_reader_base_json_max_items', JSON.stringify([SPEECH, SPEECH, TELEVISION])],
  ['test_map_item_reader_base_json_with_items_path', JSON.stringify([['from-bucket-item-0']])],
  ['MAP_STATE_REFERENCE_IN_MAX_PER_BATCH_PATH', JSON.stringify([SPEECH, TELEVISION, NEWS, { verdict: 'false', statement_date: '5/18/2024', statement_source: 'x' }, SPEECH])],
  ['test_map_item_reader_base_json', STATEMENTS],
  ['test_map_item_batching_base_json_max_per_batch_jsonata', STATEMENTS],
  ['MAP_STATE_REFERENCE_IN_MAX_ITEMS_PATH', STATEMENTS],
];

export function itemReaderObject(caseId: string): string | undefined {
  return OBJECTS.find(([fragment]) => caseId.includes(fragment))?.[1];
}

/** Creates the case's bucket with its object; returns the bucket name to put where the recording says `bucket-x`. */
export async function prepareItemReaderCase(s3: S3Client, caseId: string, key: string, n: number): Promise<string> {
  const body = itemReaderObject(caseId);
  if (body === undefined) throw new Error(`no S3 object known for ${caseId}`);
  const bucket = `case-${n}-items`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  return bucket;
}
