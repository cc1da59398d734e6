/**
 * The seed article's order-processing definition (the JSON object that follows "A Complete State Machine
 * Example"), with its topic ARN and queue URL mapped onto the emulator's, and the one fix its Choice needs:
 * the article compares `$.inventory.Item.quantity.N` with NumericGreaterThan, but DynamoDB returns numbers as
 * strings ({"N": "5"}), so on AWS (and here) that rule never matches and every order is backordered. The fix parses
 * the number in the getItem result, keeping the path the Choice reads. Shared by the in-memory and engine suites.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { JsonObject } from '@baton/asl';
import { repoRoot } from '../../support/conformance.js';

export const SEED = resolve(repoRoot, '../shared/seed/000_676b2f618303023b.txt');
export const seedAvailable = (): boolean => existsSync(SEED);

/** The article's definition text, as published. */
export function seedDefinitionText(): string {
  const text = readFileSync(SEED, 'utf8');
  const from = text.indexOf('{', text.indexOf('A Complete State Machine Example'));
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    if (text[i] === '{') depth++;
    if (text[i] === '}' && --depth === 0) return text.slice(from, i + 1);
  }
  throw new Error('seed definition not found');
}

/** The definition with the emulator's topic and queue, with or without the Choice fix. */
export function orderDefinition(topicArn: string, backorderQueueUrl: string, fixChoice = true): JsonObject {
  const definition = JSON.parse(
    seedDefinitionText()
      .replaceAll('arn:aws:sns:us-east-1:123456789012:order-notifications', topicArn)
      .replaceAll('https://sqs.us-east-1.amazonaws.com/123456789012/backorder-queue', backorderQueueUrl),
  ) as JsonObject;
  if (fixChoice) {
    (definition.States as any).CheckInventory.ResultSelector = { Item: { quantity: { 'N.$': 'States.StringToJson($.Item.quantity.N)' } } };
  }
  return definition;
}
