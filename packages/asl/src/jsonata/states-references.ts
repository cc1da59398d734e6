/**
 * AWS: "Attempting to access $states.result or $states.errorOutput in fields and states where they are not
 * accessible will be caught at creation, update, or validation of the state machine." This finds the `$states`
 * members an expression names (`$states.result...`), for the validator and for a clear runtime error when a
 * member is absent from the binding.
 */
import { compileJsonata } from './compile.js';

type Node = { type?: unknown; value?: unknown; steps?: unknown };

function collect(node: unknown, found: Set<string>): void {
  if (Array.isArray(node)) {
    for (const child of node) collect(child, found);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const n = node as Node;
  if (n.type === 'path' && Array.isArray(n.steps)) {
    const [first, second] = n.steps as Node[];
    if (first?.type === 'variable' && first.value === 'states' && second?.type === 'name' && typeof second.value === 'string') {
      found.add(second.value);
    }
  }
  for (const child of Object.values(node)) collect(child, found);
}

/** The members of `$states` an already-parsed expression reads by name (`input`, `context`, `result`, ...). */
export function statesMembersOf(ast: unknown): string[] {
  const found = new Set<string>();
  collect(ast, found);
  return [...found];
}

/** The `$states` members a JSONata expression (body text, without `{% %}`) reads; [] when it does not parse. */
export function referencedStatesMembers(expression: string): string[] {
  try {
    return statesMembersOf(compileJsonata(expression).ast());
  } catch {
    return [];
  }
}
