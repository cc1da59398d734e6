/**
 * The `baton` command. Each role parses its own options here, once, and fails with a clear message.
 */
import { runCommand } from './run-command.js';
import { runRole } from './roles.js';

const USAGE = `usage: baton <command>

  run <definition.json> [--input '<json>' | --input-file <file>] [--mocks <mocks.json>]
      [--state-machine <name>] [--test-case <name>]
                     run a definition locally with a virtual clock; prints one JSON line. --mocks takes
                     Baton's format or Step Functions Local's MockConfigFile.json (pick its test case)
  server             every role in one process (API, worker, timer): on the embedded default (PGlite in
                     BATON_DATA_DIR, in-process queue, http://127.0.0.1:8080) unless DATABASE_URL is set
  api | worker | timer
                     one role, on Postgres (DATABASE_URL) and BullMQ (REDIS_URL)
  migrate            apply pending migrations (DATABASE_URL, or the embedded data folder)
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'run':
      return runCommand(rest);
    case 'server':
    case 'api':
    case 'worker':
    case 'timer':
    case 'migrate':
      return runRole(command);
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`baton: unknown command '${command}'\n${USAGE}`);
      return 2;
  }
}
