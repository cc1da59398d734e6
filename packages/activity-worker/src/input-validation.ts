/**
 * Optional validation of a task's input before the handler sees it: a Standard Schema (https://standardschema.dev,
 * implemented by zod, valibot, arktype, effect/schema, ...) or a plain function. The package does not depend on any
 * schema library: the Standard Schema interface is small and structural, so it is declared here (the spec invites
 * libraries to do exactly this). A failure is reported as SendTaskFailure `ActivityWorker.InvalidInput` with the
 * problems in the cause, and the handler is not called.
 */
import { NamedError, WorkerErrors } from './report.js';

/** The part of Standard Schema v1 the worker uses: `~standard.validate` returning `{value}` or `{issues}`. */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => StandardSchemaResult<Output> | Promise<StandardSchemaResult<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

export type StandardSchemaResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<StandardSchemaIssue> };

export interface StandardSchemaIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/** The output type of a Standard Schema. */
export type InferSchemaOutput<S> = S extends StandardSchemaV1<unknown, infer O> ? O : unknown;

/**
 * A validation function: returns the (possibly transformed) input, or throws. Whatever it throws is reported as
 * `ActivityWorker.InvalidInput` with the thrown error's message as the cause.
 */
export type InputValidator<I> = (input: unknown) => I | Promise<I>;

/** Builds the one check the worker runs on each input, from at most one of `inputSchema` and `validate`. */
export function inputCheck<I>(schema: StandardSchemaV1<unknown, I> | undefined, validate: InputValidator<I> | undefined): (input: unknown) => Promise<I> {
  if (schema) {
    return async (input) => {
      const result = await schema['~standard'].validate(input);
      if (result.issues) throw new NamedError(WorkerErrors.invalidInput, describeIssues(result.issues));
      return result.value;
    };
  }
  if (validate) {
    return async (input) => {
      try {
        return await validate(input);
      } catch (e) {
        throw new NamedError(WorkerErrors.invalidInput, e instanceof Error ? e.message : String(e));
      }
    };
  }
  return async (input) => input as I;
}

/** `"$.order.id: Required; $.price: Expected number"`, one entry per issue. */
export function describeIssues(issues: ReadonlyArray<StandardSchemaIssue>): string {
  if (issues.length === 0) return 'The input is not valid.';
  return issues.map((issue) => `${pathText(issue.path)}: ${issue.message}`).join('; ');
}

function pathText(path: StandardSchemaIssue['path']): string {
  let text = '$';
  for (const segment of path ?? []) {
    const key = typeof segment === 'object' && segment !== null ? segment.key : segment;
    text += typeof key === 'number' ? `[${key}]` : `.${String(key)}`;
  }
  return text;
}
