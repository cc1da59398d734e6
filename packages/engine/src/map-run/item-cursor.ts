/**
 * Reads a Map Run's items from where its children stopped and groups them into child inputs, holding at most one
 * open batch in memory. The position committed with each set of children is the reader position after the last
 * item those children cover; items of a batch still open stay uncommitted, so after a crash reading resumes at
 * the first item no child has, and the same children (same indexes, same names) are created. Inline items (from
 * the state input) are read by index; S3 sources by the storage port's own resumable positions.
 */
import {
  ItemBatches, MAX_READER_ITEMS, selectItem, type ChildInput, type ItemEnv, type Json,
} from '@baton/asl';
import { ItemReaderFailure, type MapRunStorage, type ReaderProgress, type ReadItem } from './ports.js';
import type { MapRunSpec } from './commands.js';

async function* inline(items: readonly Json[], from: number): AsyncGenerator<ReadItem> {
  for (let i = from; i < items.length; i++) yield { item: items[i]!, position: i + 1 };
}

/** Whatever the item source throws ends the Map Run with States.ItemReaderFailed, its message as the cause. */
function readerCall<T>(fn: () => T): T {
  const wrap = (e: unknown): never => {
    throw e instanceof ItemReaderFailure ? e : new ItemReaderFailure(e instanceof Error ? e.message : String(e));
  };
  try {
    const r = fn();
    return (r instanceof Promise ? r.catch(wrap) : r) as T;
  } catch (e) {
    return wrap(e);
  }
}

export class ItemCursor {
  private readonly abort = new AbortController();
  private readonly it: AsyncIterator<ReadItem>;
  private readonly batches: ItemBatches;
  private readonly limit: number;
  private consumed: number;
  private lastPosition: Json | null;
  private exhausted = false;
  /** What the children created so far cover. */
  committed: { position: Json | null; itemsRead: number };

  constructor(
    private readonly spec: MapRunSpec,
    storage: MapRunStorage | undefined,
    start: { position: Json | null; itemsRead: number },
    private readonly env: ItemEnv,
    payloadLimit: number,
  ) {
    this.consumed = start.itemsRead;
    this.lastPosition = start.position;
    this.committed = { ...start };
    this.batches = new ItemBatches(spec.batcher, payloadLimit);
    const source = spec.source;
    if (source.kind === 'inline') {
      this.limit = source.items.length;
      this.it = inline(source.items, start.itemsRead);
    } else {
      const max = source.kind === 's3:getObject' ? source.reader.maxItems : source.maxItems;
      this.limit = max > 0 ? max : MAX_READER_ITEMS;
      if (!storage) throw new ItemReaderFailure('This Baton has no S3 access configured for ItemReader (set AWS_ENDPOINT_URL_S3 or AWS credentials)');
      this.it = readerCall(() => storage.read(source, start.position, this.abort.signal)[Symbol.asyncIterator]());
    }
  }

  /** Up to `maxChildren` new child inputs, and the reader progress they bring the Map Run to. */
  async take(maxChildren: number): Promise<{ children: ChildInput[]; progress: ReaderProgress }> {
    const out: ChildInput[] = [];
    while (out.length < maxChildren && !this.exhausted) {
      const next = this.consumed >= this.limit ? undefined : await readerCall(() => this.it.next());
      if (!next || next.done) {
        this.exhausted = true;
        const last = this.batches.flush();
        if (last) out.push(last);
        this.committed = { position: this.lastPosition, itemsRead: this.consumed };
        break;
      }
      const index = this.consumed;
      const before = this.lastPosition;
      const closed = this.batches.add(await selectItem(this.spec.selector, next.value.item, index, this.env), index);
      this.lastPosition = next.value.position;
      this.consumed++;
      if (!closed) continue;
      out.push(closed);
      // Unbatched, the child is this very item; batched, the closed batch ends before it.
      this.committed = this.spec.batcher ? { position: before, itemsRead: index } : { position: this.lastPosition, itemsRead: this.consumed };
    }
    return { children: out, progress: { ...this.committed, done: this.exhausted } };
  }

  close(): void {
    this.abort.abort();
    void this.it.return?.().catch(() => undefined);
  }
}
