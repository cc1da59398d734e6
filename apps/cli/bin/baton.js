#!/usr/bin/env node
// With telemetry asked for, the instrumentations (HTTP, pg, ioredis, AWS SDK: apps/cli/src/tracing.ts) must see
// every module Baton loads: their loader hook is registered and they are created (which hooks `require` too)
// before anything else is loaded; the AWS SDK, pg and ioredis load with main.js.
const env = process.env;
const telemetry = env.OTEL_SDK_DISABLED?.toLowerCase() !== 'true' && env.OTEL_SDK_DISABLED !== '1'
  && Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim() || env.OTEL_TRACES_EXPORTER?.trim());
if (telemetry) {
  const { register } = await import('node:module');
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
  const { enableInstrumentations } = await import('../dist/tracing.js');
  await enableInstrumentations();
}
const { main } = await import('../dist/main.js');

main(process.argv.slice(2)).then(
  (code) => {
    if (typeof code === 'number') process.exitCode = code;
    // The roles have stopped: do not let a stray handle (an OTLP exporter retrying an unreachable collector,
    // say) hold the process past a container's stop grace. Unref'd, so a clean exit is not delayed.
    setTimeout(() => process.exit(), 3_000).unref();
  },
  (err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 2;
  },
);
