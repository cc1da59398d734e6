/**
 * One environment variable, declared once: how its text becomes a typed value (a zod schema), its default, and
 * what the generated reference says about it (description, example). The builders below cover Baton's kinds of
 * setting; `custom` takes any zod schema for the rest (access-key lists, say).
 */
import { z } from 'zod';

export interface Variable<T> {
  readonly description: string;
  readonly example: string;
  /** The default as the reference shows it, in Markdown (`` `16` ``, ``PORT, else `8080` ``); undefined: none. */
  readonly defaultText: string | undefined;
  /** A secret: also read from the file named by `<NAME>_FILE`, and never echoed in a message. */
  readonly secret: boolean;
  /** What a valid value looks like, completing "NAME must be ...". */
  readonly expects: string;
  /** Parses the trimmed, non-empty text. An issue with code `custom` carries its own message. */
  readonly schema: z.ZodType<NonNullable<T>, string>;
  /** The value when unset (and, after a problem was reported, so the rest of the parse can go on). */
  readonly fallback: T;
}

export interface Doc {
  description: string;
  example: string;
  /** The default as documented, when it is not simply the `default` value (one computed from others). */
  defaultText?: string;
}

interface Base<D> extends Doc {
  default?: D;
}

function variable<T, D extends T | undefined>(
  doc: Base<D> & { secret?: boolean },
  expects: string,
  schema: z.ZodType<NonNullable<T>, string>,
): Variable<T | NoInfer<D>> {
  return {
    description: doc.description,
    example: doc.example,
    defaultText: doc.defaultText ?? (doc.default === undefined ? undefined : `\`${String(doc.default)}\``),
    secret: doc.secret ?? false,
    expects,
    schema: schema as z.ZodType<NonNullable<T | D>, string>,
    fallback: doc.default as T | D,
  };
}

/** A whole number in [min, max]. */
export function integer<D extends number | undefined = undefined>(o: Base<D> & { min: number; max?: number }): Variable<number | NoInfer<D>> {
  const expects = o.max === undefined ? `an integer >= ${o.min}` : `an integer from ${o.min} to ${o.max}`;
  const n = z.number().int().min(o.min);
  return variable<number, D>(o, expects, z.string().regex(/^[+-]?\d+$/).transform(Number).pipe(o.max === undefined ? n : n.max(o.max)));
}

/** A number, decimals allowed, >= min. */
export function decimal<D extends number | undefined = undefined>(o: Base<D> & { min: number }): Variable<number | NoInfer<D>> {
  return variable<number, D>(o, `a number >= ${o.min}`, z.string().regex(/^[+-]?(\d+\.?\d*|\.\d+)$/).transform(Number).pipe(z.number().min(o.min)));
}

/** `true`/`1` or `false`/`0`. */
export function boolean<D extends boolean | undefined = undefined>(o: Base<D>): Variable<boolean | NoInfer<D>> {
  return variable<boolean, D>(o, 'true or false', z.stringbool({ truthy: ['true', '1'], falsy: ['false', '0'], case: 'insensitive' }));
}

/** Free text; optionally a pattern (`expects` then says what it means) or a minimum length. */
export function text<D extends string | undefined = undefined>(
  o: Base<D> & { secret?: boolean; pattern?: RegExp; expects?: string; minLength?: number },
): Variable<string | NoInfer<D>> {
  let schema = z.string();
  if (o.pattern) schema = schema.regex(o.pattern);
  if (o.minLength !== undefined) schema = schema.min(o.minLength);
  const expects = o.expects ?? (o.minLength !== undefined ? `at least ${o.minLength} characters` : 'text');
  return variable<string, D>(o, expects, schema);
}

/** One of a closed list of words. */
export function oneOf<const W extends string, D extends W | undefined = undefined>(words: readonly W[], o: Base<D>): Variable<W | NoInfer<D>> {
  return variable<W, D>(o, `one of ${words.join(', ')}`, z.enum(words as [W, ...W[]]) as unknown as z.ZodType<W, string>);
}

/** A URL whose scheme is one of `protocols` (e.g. `['postgres:', 'postgresql:']`). */
export function url<D extends string | undefined = undefined>(o: Base<D> & { protocols: readonly string[]; secret?: boolean }): Variable<string | NoInfer<D>> {
  const schemes = o.protocols.join(' or ');
  const schema = z.string().transform((value, ctx) => {
    let protocol: string;
    try {
      protocol = new URL(value).protocol;
    } catch {
      ctx.addIssue({ code: 'custom', message: `must be a URL starting with ${schemes}` });
      return z.NEVER;
    }
    if (!o.protocols.includes(protocol)) ctx.addIssue({ code: 'custom', message: `must start with ${schemes} (got ${protocol})` });
    return value;
  });
  return variable<string, D>(o, `a URL starting with ${schemes}`, schema);
}

/** Any other shape: a zod schema from the text; its `custom` issues say what is wrong (never quoting a secret). */
export function custom<T, D extends T | undefined = undefined>(
  schema: z.ZodType<NonNullable<T>, string>,
  o: Base<D> & { secret?: boolean; expects: string },
): Variable<T | NoInfer<D>> {
  return variable<T, D>(o, o.expects, schema);
}
