export * from './errors.js';
export * from './actions.js';
export * from './versions.js';
export * from './arn.js';
export * from './names.js';
export * from './console-actions.js';
export * from './test-state.js';
