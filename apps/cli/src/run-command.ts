/**
 * `baton run <definition.json> --input '<json>' --mocks mocks.json [--test-case NAME] [--state-machine NAME]`: validate, then run the definition with the
 * in-memory runner (virtual clock) and print one JSON line: {"status":"SUCCEEDED","output":...} (exit 0) or
 * {"status":"FAILED","error":...,"cause":...} (exit 1). Bad arguments or an invalid definition: exit 2.
 */
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { invalidDefinitionMessage, loadMockFile, runLocal, validateDefinition, type Diagnostic, type Json, type JsonObject } from '@baton/asl';

function readJson(text: string, what: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (e) {
    throw new UsageError(`${what} is not valid JSON: ${(e as Error).message}`);
  }
}

class UsageError extends Error {}

/** The options of `baton run`, as commander hands them over (camel-cased). */
export interface RunOptions {
  input?: string;
  inputFile?: string;
  mocks?: string;
  /** With a Step Functions Local MockConfigFile.json: the test case and, when the file has several, the state machine. */
  testCase?: string;
  stateMachine?: string;
}

/** Declares `baton run` and its options; `action` receives the definition's path and the options. */
export function addRunCommand(program: Command, action: (file: string, options: RunOptions) => Promise<void>): Command {
  return program
    .command('run')
    .description('run a definition locally with a virtual clock (Wait states take no time) and mocked Tasks; prints one JSON line')
    .argument('<definition>', 'the state machine definition, a JSON file')
    .addOption(new Option('--input <json>', 'the execution input (JSON)').conflicts('inputFile'))
    .option('--input-file <file>', 'read the execution input from a JSON file')
    .option('--mocks <file>', 'mocked task results: Baton\'s format (state name or resource ARN -> {"Return": ...} | {"Throw": {"Error", "Cause"}} | a list) or Step Functions Local\'s MockConfigFile.json')
    .option('--test-case <name>', 'the MockConfigFile.json test case to run')
    .option('--state-machine <name>', 'the MockConfigFile.json state machine whose test case runs (default: the only one)')
    .addHelpText('after', '\nExit status: 0 SUCCEEDED, 1 FAILED, 2 bad arguments or an invalid definition.')
    .action(action);
}

export async function runCommand(file: string, values: RunOptions): Promise<number> {
  try {
    if (values.mocks === undefined && (values.testCase !== undefined || values.stateMachine !== undefined)) {
      throw new UsageError('--test-case and --state-machine choose a test case of the --mocks file; give --mocks too');
    }
    const definitionText = readFileSync(file, 'utf8');
    const diagnostics = validateDefinition(definitionText).filter((d: Diagnostic) => d.severity === 'ERROR');
    if (diagnostics.length > 0) {
      process.stderr.write(`InvalidDefinition: ${invalidDefinitionMessage(diagnostics)}\n`);
      return 2;
    }
    const input =
      values.input !== undefined ? readJson(values.input, '--input')
      : values.inputFile !== undefined ? readJson(readFileSync(values.inputFile, 'utf8'), '--input-file')
      : {};
    const definition = JSON.parse(definitionText) as JsonObject;
    const mocks =
      values.mocks !== undefined
        ? loadMockFile(readJson(readFileSync(values.mocks, 'utf8'), '--mocks'), definition, { stateMachine: values.stateMachine, testCase: values.testCase })
        : {};
    const result = await runLocal(definition, { input, ...mocks, startTime: Date.now() });
    const line =
      result.status === 'SUCCEEDED'
        ? { status: result.status, output: result.output ?? null }
        : { status: result.status, error: result.error ?? null, cause: result.cause ?? null };
    process.stdout.write(`${JSON.stringify(line)}\n`);
    return result.status === 'SUCCEEDED' ? 0 : 1;
  } catch (e) {
    process.stderr.write(`baton run: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
}
