/** Validates a machine nested in a state: a Parallel branch or a Map ItemProcessor / Iterator. */
import type { Json } from '../json.js';

export type NestedKind = 'branch' | 'processor';
export type CheckNested = (value: Json | undefined, location: string, kind: NestedKind) => void;
