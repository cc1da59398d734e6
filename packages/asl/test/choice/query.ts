/** Test helper: a PathQuery over a small document, for "$", "$.a.b", "$[0]", "$$.x" (context) and "$name" (variables). */
import type { PathQuery } from '../../src/choice/index.js';
import type { Json } from '../../src/json.js';

function walk(doc: Json, steps: string): { found: true; value: Json } | { found: false } {
  let cur: Json = doc;
  for (const m of steps.matchAll(/\.([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[1] !== undefined) {
      if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || !(m[1] in cur)) return { found: false };
      cur = cur[m[1]] as Json;
    } else {
      const i = Number(m[2]);
      if (!Array.isArray(cur) || i >= cur.length) return { found: false };
      cur = cur[i] as Json;
    }
  }
  return { found: true, value: cur };
}

export function queryOf(input: Json, context: Json = {}, variables: Record<string, Json> = {}): PathQuery {
  return (path) => {
    if (path.startsWith('$$')) return walk(context, path.slice(2));
    const variable = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(path);
    if (variable) {
      const name = variable[1] as string;
      return name in variables ? walk(variables[name] as Json, path.slice(variable[0].length)) : { found: false };
    }
    return walk(input, path.slice(1));
  };
}
