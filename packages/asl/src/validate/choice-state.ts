/**
 * Choice state (AWS developer guide, "Choice workflow state"): a required, non-empty Choices array and an optional
 * Default. JSONPath rules (Variable + a comparison operator, or And / Or / Not) are checked by the choice module's
 * `choiceRuleProblems`; JSONata rules take Condition (a boolean or an expression), Next, Assign, Output and Comment.
 * Rule fields of the other language are reported at the rule. Transition targets are checked with the other
 * transitions (graph.ts).
 */
import { isJsonObject, type Json, type JsonObject } from '../json.js';
import { CHOICE_COMBINATORS, CHOICE_COMPARISON_OPERATORS, choiceRuleProblems } from '../choice/index.js';
import { at, item } from './diagnostics.js';
import { checkAssign } from './assign.js';
import type { QueryLanguage, ValidationContext } from './context.js';
import { checkJsonataString, checkJsonataValue, isJsonataString } from './jsonata-check.js';
import { message } from './messages.js';
import { checkAllowedFields, checkArray, checkObject, checkRequired, checkString } from './value-checks.js';

const JSONATA_RULE_FIELDS = new Set(['Condition', 'Next', 'Assign', 'Output', 'Comment']);
const JSONATA_ONLY_RULE_FIELDS = ['Condition', 'Output'];
const JSONPATH_RULE_FIELDS: ReadonlySet<string> = new Set(['Variable', ...CHOICE_COMBINATORS, ...CHOICE_COMPARISON_OPERATORS]);
const NO_ERROR_OUTPUT = { errorOutput: false } as const;

function checkJsonPathRule(ctx: ValidationContext, rule: JsonObject, location: string): void {
  const structural: JsonObject = {};
  for (const [key, value] of Object.entries(rule)) {
    if (JSONATA_ONLY_RULE_FIELDS.includes(key)) ctx.report.schema(message.jsonataOnly(key), location);
    else structural[key] = value;
  }
  for (const problem of choiceRuleProblems(structural, location, true)) ctx.report.schema(problem.message, problem.location);
  if ('Assign' in rule) checkAssign(ctx.report, rule.Assign, at(location, 'Assign'), 'JSONPath', NO_ERROR_OUTPUT);
}

function checkJsonataRule(ctx: ValidationContext, rule: JsonObject, location: string): void {
  const { report } = ctx;
  checkRequired(report, rule, location, ['Condition', 'Next']);
  const foreign = Object.keys(rule).filter((key) => JSONPATH_RULE_FIELDS.has(key));
  for (const key of foreign) report.schema(message.jsonPathOnly(key), location);
  checkAllowedFields(report, rule, location, new Set([...JSONATA_RULE_FIELDS, ...foreign]));
  if ('Condition' in rule) {
    const loc = at(location, 'Condition');
    if (isJsonataString(rule.Condition)) checkJsonataString(report, rule.Condition, loc, NO_ERROR_OUTPUT);
    else if (typeof rule.Condition !== 'boolean') report.schema(message.type('BOOLEAN'), loc);
  }
  if ('Next' in rule) checkString(report, rule.Next, at(location, 'Next'));
  if ('Comment' in rule) checkString(report, rule.Comment, at(location, 'Comment'));
  if ('Output' in rule) checkJsonataValue(report, rule.Output, at(location, 'Output'), NO_ERROR_OUTPUT);
  if ('Assign' in rule) checkAssign(report, rule.Assign, at(location, 'Assign'), 'JSONata', NO_ERROR_OUTPUT);
}

export function checkChoice(ctx: ValidationContext, state: JsonObject, location: string, language: QueryLanguage): void {
  const { report } = ctx;
  if (checkRequired(report, state, location, ['Choices'])) {
    const loc = at(location, 'Choices');
    const choices: Json | undefined = state.Choices;
    if (checkArray(report, choices, loc)) {
      if (choices.length === 0) report.schema(message.empty(), loc);
      choices.forEach((rule, i) => {
        const ruleLoc = item(loc, i);
        if (language === 'JSONPath') {
          if (isJsonObject(rule)) checkJsonPathRule(ctx, rule, ruleLoc);
          else for (const problem of choiceRuleProblems(rule, ruleLoc, true)) report.schema(problem.message, problem.location);
        } else if (checkObject(report, rule, ruleLoc)) {
          checkJsonataRule(ctx, rule, ruleLoc);
        }
      });
    }
  }
  if ('Default' in state) checkString(report, state.Default, at(location, 'Default'));
}
