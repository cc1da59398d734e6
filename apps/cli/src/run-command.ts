/**
 * `baton run <definition.json> --input '<json>' --mocks mocks.json`: validate, then run the definition with the
 * in-memory runner (virtual clock) and print one JSON line: {"status":"SUCCEEDED","output":...} (exit 0) or
 * {"status":"FAILED","error":...,"cause":...} (exit 1). Bad arguments or an invalid definition: exit 2.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { invalidDefinitionMessage, loadMockFile, runLocal, validateDefinition, type Diagnostic, type Json, type JsonObject } from '@baton/asl';

function readJson(text: string, what: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch (e) {
    throw new UsageError(`${what} is not valid JSON: ${(e as Error).message}`);
  }
}

class UsageError extends Error {}

export async function runCommand(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        input: { type: 'string' },
        'input-file': { type: 'string' },
        mocks: { type: 'string' },
        'test-case': { type: 'string' },
        'state-machine': { type: 'string' },
      },
    });
    const file = positionals[0];
    if (!file || positionals.length > 1) {
      throw new UsageError('usage: baton run <definition.json> [--input <json>] [--mocks <file> [--state-machine <name>] [--test-case <name>]]');
    }
    if (values.mocks === undefined && (values['test-case'] !== undefined || values['state-machine'] !== undefined)) {
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
      : values['input-file'] !== undefined ? readJson(readFileSync(values['input-file'], 'utf8'), '--input-file')
      : {};
    const definition = JSON.parse(definitionText) as JsonObject;
    const mocks =
      values.mocks !== undefined
        ? loadMockFile(readJson(readFileSync(values.mocks, 'utf8'), '--mocks'), definition, { stateMachine: values['state-machine'], testCase: values['test-case'] })
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
