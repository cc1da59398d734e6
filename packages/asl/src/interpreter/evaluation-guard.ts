/**
 * Numbers every evaluation a step performs and fails the ones the host found over its budgets (EvaluationHooks in
 * types.ts). State-level evaluations fail with States.QueryEvaluationError in a JSONata state and States.Runtime
 * otherwise; a JSONata expression fails as AWS fails one that exceeds its own bounds ("threw an error during
 * evaluation"), with its field as the EvaluationFailed location.
 */
import { StatesError } from '../errors.js';
import { QueryEvaluationError, queryEvaluationCause } from '../jsonata/index.js';
import type { StateNode } from '../model/nodes.js';
import type { EvaluationHooks } from './types.js';

export class EvaluationGuard {
  private ordinal = 0;
  private readonly failures = new Map<number, string>();

  constructor(private readonly hooks: EvaluationHooks | undefined) {
    for (const f of hooks?.fail ?? []) this.failures.set(f.ordinal, f.detail);
  }

  /** A state's data flow begins (the JSONata expressions it evaluates are numbered on their own). */
  state(node: StateNode): void {
    const detail = this.next();
    if (detail === undefined) return;
    throw new StatesError(node.queryLanguage === 'JSONata' ? 'States.QueryEvaluationError' : 'States.Runtime', detail);
  }

  /** One JSONata expression of a field begins. */
  expression(expression: string, location: string): void {
    const detail = this.next();
    if (detail === undefined) return;
    throw new QueryEvaluationError(queryEvaluationCause.threwError(expression, location, detail), location, expression);
  }

  private next(): string | undefined {
    this.ordinal++;
    this.hooks?.onEvaluation?.(this.ordinal);
    return this.failures.size > 0 ? this.failures.get(this.ordinal) : undefined;
  }
}
