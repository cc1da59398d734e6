/**
 * The `baton` command, on commander: `--help` anywhere prints help and does nothing else, `--version` prints
 * the version, unknown commands, options and extra arguments are refused (exit 2). Each role's help lists the
 * environment variables it reads, from the same declarations that parse them.
 *
 * Exit status: 0 success (or help), 1 a run that FAILED or a role that could not start (a service that does not
 * answer, a port in use), 2 bad usage or configuration.
 */
import { createRequire } from 'node:module';
import { renderPlain } from '@baton/config';
import { Command, CommanderError } from 'commander';
import { healthcheck } from './healthcheck.js';
import { ROLES, roleVariables, type Role } from './role-config.js';
import { addRunCommand, runCommand } from './run-command.js';

const VERSION = (createRequire(import.meta.url)('../package.json') as { version: string }).version;

const ROLE_SUMMARY: Record<Role, string> = {
  server: 'every role in one process (API, worker, timer): on the embedded default (PGlite in BATON_DATA_DIR, in-process queue, http://127.0.0.1:8080) unless DATABASE_URL is set',
  api: 'the Step Functions API and the REST surface, on Postgres (DATABASE_URL) and BullMQ (REDIS_URL); stateless, any number of replicas',
  worker: 'runs transitions and task calls from the queue, and reconciles the queue with Postgres; any number of replicas',
  timer: 'fires due timers (Wait states, retry backoffs, timeouts); any number of replicas',
  migrate: 'applies pending database migrations (DATABASE_URL, or the embedded data folder), then exits',
};

/** Builds the program; `exit` receives the exit status of the command that ran. */
export function buildProgram(exit: (code: number) => void): Command {
  const program = new Command('baton')
    .description('Baton: a self-hosted, AWS Step Functions-compatible durable workflow runtime')
    .version(VERSION, '-V, --version', 'print the version')
    .helpCommand('help [command]', 'print the help of a command')
    .showHelpAfterError('(see baton --help)')
    .addHelpText('after', '\nEach command has its own help: baton <command> --help (a role\'s lists the environment it reads).\nExit status: 0 success, 1 a FAILED run or a role that could not start, 2 bad usage or configuration.')
    .exitOverride();
  addRunCommand(program, async (file, options) => exit(await runCommand(file, options)));
  for (const role of ROLES) {
    program
      .command(role)
      .description(ROLE_SUMMARY[role])
      .addHelpText('after', `\nEnvironment (every variable is described in README.md, "Configuration"):\n${renderPlain(roleVariables(role))}\n`)
      .action(async () => {
        const { runRole } = await import('./roles.js'); // the engine and the AWS SDK load only for a role that runs
        exit(await runRole(role));
      });
  }
  program
    .command('healthcheck')
    .description("checks a running role: the API's /healthz, or that a worker's or timer's Postgres and Redis answer (exit 0 healthy, 1 not)")
    .argument('[role]', `${ROLES.join(' | ')}; default: the role of the container's main process`)
    .action(async (role?: string) => exit(await healthcheck(role, process.env)));
  return program;
}

export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = buildProgram((c) => (code = c));
  if (argv.length === 0) {
    program.outputHelp();
    return 2;
  }
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    // Help and version exit 0; every usage error (already printed by commander) exits 2.
    return e.exitCode === 0 ? 0 : 2;
  }
}
