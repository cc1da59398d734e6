/**
 * @baton/config: environment variables as typed, documented declarations. Apps declare their variables in
 * fragments; the composition root parses them once at boot (every problem at once, secrets also from
 * `<NAME>_FILE`) and generates the configuration reference from the same declarations. Imports nothing of ours;
 * only apps import it (libraries take typed options).
 */
export { boolean, custom, decimal, integer, oneOf, text, url, type Doc, type Variable } from './variable.js';
export { ConfigError, EnvParse, fileVariant, type Env, type Values, type Variables } from './parse.js';
export { buildFragment, defineFragment, parseFragment, type Fragment } from './fragment.js';
export { describe, renderPlain, renderReference, type ReferenceSection } from './reference.js';
/** zod, for `custom` variables: one version for every app. */
export { z } from 'zod';
