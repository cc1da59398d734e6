/**
 * A fragment: the variables one part of Baton reads (an app's role, the database, telemetry), and how their
 * values become that part's typed configuration. Each app exports its fragment; the composition root (apps/cli)
 * parses the fragments a role needs together, so one run reports every problem of every fragment at once.
 */
import { EnvParse, type Env, type Values, type Variables } from './parse.js';

export interface Fragment<V extends Variables, C, X = undefined> {
  /** The heading of this group in the generated reference. */
  readonly title: string;
  readonly variables: V;
  /** Builds the configuration; problems that involve several variables go to `parse.report`. */
  build(values: Values<V>, parse: EnvParse, context: X): C;
}

/** Declares a fragment (an identity function that lets TypeScript infer the value types). */
export function defineFragment<V extends Variables, C, X = undefined>(fragment: Fragment<V, C, X>): Fragment<V, C, X> {
  return fragment;
}

/** Reads one fragment's variables and builds it within a parse shared with other fragments. */
export function buildFragment<V extends Variables, C, X>(parse: EnvParse, fragment: Fragment<V, C, X>, context: X): C {
  return fragment.build(parse.read(fragment.variables), parse, context);
}

/** Parses one fragment on its own; throws a `ConfigError` listing every problem. */
export function parseFragment<V extends Variables, C, X>(fragment: Fragment<V, C, X>, env: Env, context: X): C {
  const parse = new EnvParse(env);
  const config = buildFragment(parse, fragment, context);
  parse.done();
  return config;
}
