/** Distributed Map Runs: the resolved command, and the pure rules the engine and the in-memory runner share. */
export * from './spec.js';
export { selectItem, ItemBatches, type ChildInput, type ItemEnv } from './items.js';
export { childMetadata, resultEntries, toleranceExceeded, TOLERANCE_EXCEEDED, type ChildRecord, type ChildStatus } from './results.js';
export { runMapRunInMemory, type ChildOutcome } from './in-memory.js';
