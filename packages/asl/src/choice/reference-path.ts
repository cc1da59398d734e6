/**
 * "The values of Variable and Path fields in a comparison must be valid Reference Paths" (AWS developer guide,
 * Choice workflow state): a path that names exactly one node. A root (`$` for the input, `$$` for the context
 * object, `$name` for a workflow variable) followed by `.name`, `['name']` / `["name"]` or `[index]` steps; no
 * wildcard, deep scan, slice, union or filter. This is the validator's syntactic check only; the interpreter's
 * PathQuery resolves the path at run time.
 */

const ROOT = /^\$(?:\$|[A-Za-z_][A-Za-z0-9_]*)?/;
const STEP = /^(?:\.[^.[\]*'"\s]+|\['(?:[^'\\]|\\.)*'\]|\["(?:[^"\\]|\\.)*"\]|\[\d+\])/;

export function isChoiceReferencePath(path: string): boolean {
  const root = ROOT.exec(path);
  if (!root) return false;
  let rest = path.slice(root[0].length);
  while (rest.length > 0) {
    const step = STEP.exec(rest);
    if (!step) return false;
    rest = rest.slice(step[0].length);
  }
  return true;
}
