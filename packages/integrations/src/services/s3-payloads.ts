/**
 * What `aws-sdk:s3:*` does with object bodies, which the S3 API carries as raw bytes rather than JSON:
 * - in: a `Body` (PutObject, UploadPart) is sent as its JSON text, strings included: AWS recorded `Body: {"Dict":
 *   "Value"}` stored as `{"Dict":"Value"}`, `false` as `false`, and `"text data"` as `"text data"` with its quotes
 *   (the recorded ETag is the MD5 of the quoted text). PutObject
 *   sends a CRC32 checksum unless the state chose another way (`ChecksumAlgorithm`, `ContentMD5`, an
 *   `x-amz-checksum-*` value), as Step Functions' SDK does: AWS recorded `ChecksumCRC32` and `ChecksumType:
 *   FULL_OBJECT` in its PutObject results. The client computes it in a header, so the body is not re-framed.
 * - out: a streamed body (GetObject's `Body`) is read and returned as a string, as AWS records it (UTF-8; bytes
 *   that are not UTF-8 become U+FFFD). Reading stops at the 256 KiB payload limit: a larger object fails the
 *   task with States.DataLimitExceeded without reading the rest into memory.
 */
import type { Json } from '@baton/asl';
import type { TaskResult } from '../port.js';
import { failed } from '../task-context.js';

const MAX_BODY_BYTES = 256 * 1024;
const BODY_ACTIONS = new Set(['putObject', 'uploadPart']);
const CHECKSUM_FIELDS = ['ChecksumAlgorithm', 'ContentMD5', 'ChecksumCRC32', 'ChecksumCRC32C', 'ChecksumCRC64NVME', 'ChecksumSHA1', 'ChecksumSHA256'];

/** Actions whose answer is an event stream, which a task result cannot hold. */
export function s3Unsupported(action: string): string | undefined {
  return action === 'selectObjectContent' ? 'aws-sdk:s3:selectObjectContent answers with an event stream, which Baton does not turn into a task result' : undefined;
}

export function s3Input(action: string, input: Record<string, unknown>): Record<string, unknown> {
  if (!BODY_ACTIONS.has(action)) return input;
  const out = { ...input };
  if (out.Body !== undefined) out.Body = JSON.stringify(out.Body as Json);
  if (action === 'putObject' && !CHECKSUM_FIELDS.some((f) => out[f] !== undefined)) out.ChecksumAlgorithm = 'CRC32';
  return out;
}

interface ByteStream extends AsyncIterable<Uint8Array> {
  destroy?(): void;
}

function isStream(v: unknown): v is ByteStream {
  return v !== null && typeof v === 'object' && typeof (v as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
}

async function readText(stream: ByteStream, signal: AbortSignal): Promise<string | undefined> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      signal.throwIfAborted();
      size += chunk.length;
      if (size > MAX_BODY_BYTES) return undefined;
      chunks.push(chunk);
    }
  } finally {
    stream.destroy?.();
  }
  return new TextDecoder('utf-8').decode(Buffer.concat(chunks));
}

/** The output with every streamed member read as text, or the task's failure. */
export async function s3Output(
  output: Record<string, unknown>,
  signal: AbortSignal,
): Promise<{ ok: true; output: Record<string, unknown> } | { ok: false; result: TaskResult }> {
  const out: Record<string, unknown> = { ...output };
  for (const [key, value] of Object.entries(output)) {
    if (!isStream(value)) continue;
    const text = await readText(value, signal);
    if (text === undefined) return { ok: false, result: failed('States.DataLimitExceeded', `The S3 object's ${key} is larger than the ${MAX_BODY_BYTES}-byte payload limit`) };
    out[key] = text;
  }
  return { ok: true, output: out };
}
