/** @baton/worker: the worker role (queue consumer + reconciler) over an engine the composition root builds. */
export { startWorker, type StartWorkerOptions, type RunningWorker } from './start-worker.js';
export { parseWorkerEnv, workerEnv, type WorkerConfig } from './env.js';
