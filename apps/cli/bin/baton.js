#!/usr/bin/env node
import { main } from '../dist/main.js';

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
