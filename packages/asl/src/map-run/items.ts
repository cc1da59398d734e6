/**
 * From read items to child inputs (AWS "ItemSelector (Map)", "ItemBatcher (Map)"): ItemSelector is evaluated for
 * each item with `$$.Map.Item` / `$states.context.Map.Item` = {Index, Value}; without an ItemBatcher each item is
 * a child's input. With one, consecutive items are grouped into batches of at most MaxItemsPerBatch items and
 * MaxInputBytesPerBatch bytes, and a child receives `{"BatchInput": ..., "Items": [...]}` (BatchInput only when
 * given), as AWS's recorded runs show.
 */
import { jsonByteLength, type Json } from '../json.js';
import { StatesError } from '../errors.js';
import { evaluateJsonataValue } from '../jsonata/index.js';
import { resolvePayloadTemplate } from '../path/index.js';
import type { RandomSource } from '../random.js';
import type { BatcherSpec, SelectorSpec } from './spec.js';

export interface ItemEnv {
  random: RandomSource;
  now: number;
}

/** One item after ItemSelector (or the item itself). */
export async function selectItem(selector: SelectorSpec | undefined, item: Json, index: number, env: ItemEnv): Promise<Json> {
  if (!selector) return item;
  const context = { ...selector.context, Map: { Item: { Index: index, Value: item } } };
  if (selector.queryLanguage === 'JSONata') {
    return evaluateJsonataValue(selector.template, {
      states: { input: selector.input, context }, variables: selector.variables, random: env.random, now: env.now,
    }, 'ItemSelector');
  }
  return resolvePayloadTemplate(selector.template, { input: selector.input, context, variables: selector.variables, random: env.random });
}

/** One child's input and the items it covers. */
export interface ChildInput {
  input: Json;
  /** Index of its first item. */
  firstItem: number;
  itemCount: number;
}

/**
 * Groups selected items into child inputs. Memory holds one batch at most. `add` returns the batch it closed (the
 * new item did not fit), `flush` the last one.
 */
export class ItemBatches {
  private items: Json[] = [];
  private bytes = 0;
  private first = 0;
  private readonly overhead: number;

  constructor(private readonly spec: BatcherSpec | undefined, private readonly payloadLimit: number) {
    // {"BatchInput":<input>,"Items":[]}
    this.overhead = spec?.batchInput !== undefined ? jsonByteLength(spec.batchInput) + 25 : 11;
  }

  add(item: Json, index: number): ChildInput | undefined {
    if (!this.spec) return this.single(item, index);
    const size = jsonByteLength(item) + (this.items.length > 0 ? 1 : 0);
    const byteLimit = Math.min(this.spec.maxInputBytesPerBatch || Infinity, this.payloadLimit);
    if (this.overhead + jsonByteLength(item) > byteLimit) {
      throw new StatesError('States.Runtime', `The item at index ${index} does not fit in a batch of ${byteLimit} bytes (MaxInputBytesPerBatch or the payload limit)`);
    }
    let closed: ChildInput | undefined;
    const full = (this.spec.maxItemsPerBatch > 0 && this.items.length >= this.spec.maxItemsPerBatch) || this.overhead + this.bytes + size > byteLimit;
    if (this.items.length > 0 && full) closed = this.flush();
    if (this.items.length === 0) this.first = index;
    this.bytes += jsonByteLength(item) + (this.items.length > 0 ? 1 : 0);
    this.items.push(item);
    return closed;
  }

  flush(): ChildInput | undefined {
    if (this.items.length === 0) return undefined;
    const items = this.items;
    this.items = [];
    this.bytes = 0;
    const input: Json = this.spec?.batchInput !== undefined ? { BatchInput: this.spec.batchInput, Items: items } : { Items: items };
    return { input, firstItem: this.first, itemCount: items.length };
  }

  private single(item: Json, index: number): ChildInput {
    if (jsonByteLength(item) > this.payloadLimit) {
      throw new StatesError('States.DataLimitExceeded', `The input of the child execution for item ${index} exceeds the maximum number of bytes service limit.`);
    }
    return { input: item, firstItem: index, itemCount: 1 };
  }
}
