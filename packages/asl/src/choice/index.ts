/**
 * JSONPath-mode Choice Rules (AWS developer guide, "Choice workflow state"): evaluation against the state input
 * for the interpreter, structural problems for the validator, and the list of comparison operators.
 * JSONata-mode rules (`Condition`) are not handled here.
 */
export { evaluateChoiceRule, conditionPathError, type PathQuery } from './evaluate.js';
export { choiceRuleProblems, type ChoiceRuleProblem } from './problems.js';
export { CHOICE_COMPARISON_OPERATORS, CHOICE_COMBINATORS } from './operators.js';
export { parseTimestamp, isTimestamp, compareInstants, type Instant } from './timestamp.js';
export { stringMatches } from './string-matches.js';
