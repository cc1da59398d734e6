/**
 * The `baton` command. Each role parses its own options here, once, and fails with a clear message.
 */
import { runCommand } from './run-command.js';
import { runEngineRole } from './engine-roles.js';
import { runApiRole } from './api-role.js';

const USAGE = `usage: baton <command>

  run <definition.json> [--input '<json>' | --input-file <file>] [--mocks <mocks.json>]
                     run a definition locally with a virtual clock; prints one JSON line
  server             all roles in one process (API, worker, timer)
  api | worker | timer | migrate
`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'run':
      return runCommand(rest);
    case 'server':
    case 'worker':
    case 'timer':
    case 'migrate':
      return runEngineRole(command);
    case 'api':
      return runApiRole();
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
