/**
 * The closed list of JSONPath Choice Rule comparison operators (AWS developer guide, "Choice workflow state",
 * Choice Rules (JSONPath)): String*, Numeric*, Timestamp* (each with a `...Path` twin that reads the operand
 * from the input), BooleanEquals(Path), StringMatches, and the Is* type tests. And / Or / Not are not
 * comparisons and are not in this list.
 */

export type OperandKind = 'string' | 'numeric' | 'boolean' | 'timestamp';
export type Relation = 'Equals' | 'LessThan' | 'GreaterThan' | 'LessThanEquals' | 'GreaterThanEquals';
export type TypeTest = 'IsNull' | 'IsPresent' | 'IsNumeric' | 'IsString' | 'IsBoolean' | 'IsTimestamp';

export type OperatorSpec =
  /** `Variable` compared with a literal operand, or (path: true) with the value at the operand's path. */
  | { readonly family: 'compare'; readonly name: string; readonly kind: OperandKind; readonly relation: Relation; readonly path: boolean }
  /** `Variable`'s value tested for a type (or presence); the operand is a boolean. */
  | { readonly family: 'is'; readonly name: TypeTest }
  /** `Variable` (a string) matched against a `*` wildcard pattern. */
  | { readonly family: 'matches'; readonly name: 'StringMatches' };

const RELATIONS: readonly Relation[] = ['Equals', 'LessThan', 'GreaterThan', 'LessThanEquals', 'GreaterThanEquals'];
const ORDERED_KINDS: readonly [string, OperandKind][] = [
  ['String', 'string'],
  ['Numeric', 'numeric'],
  ['Timestamp', 'timestamp'],
];
const TYPE_TESTS: readonly TypeTest[] = ['IsNull', 'IsPresent', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp'];

function buildSpecs(): OperatorSpec[] {
  const specs: OperatorSpec[] = [];
  for (const [prefix, kind] of ORDERED_KINDS) {
    for (const relation of RELATIONS) {
      specs.push({ family: 'compare', name: `${prefix}${relation}`, kind, relation, path: false });
      specs.push({ family: 'compare', name: `${prefix}${relation}Path`, kind, relation, path: true });
    }
  }
  specs.push({ family: 'compare', name: 'BooleanEquals', kind: 'boolean', relation: 'Equals', path: false });
  specs.push({ family: 'compare', name: 'BooleanEqualsPath', kind: 'boolean', relation: 'Equals', path: true });
  specs.push({ family: 'matches', name: 'StringMatches' });
  for (const name of TYPE_TESTS) specs.push({ family: 'is', name });
  return specs;
}

const SPECS: ReadonlyMap<string, OperatorSpec> = new Map(buildSpecs().map((s) => [s.name, s]));

/** Every comparison operator name AWS accepts in a JSONPath Choice Rule (39 names; not And/Or/Not). */
export const CHOICE_COMPARISON_OPERATORS: readonly string[] = Object.freeze([...SPECS.keys()]);

/** The boolean combinators of a Choice Rule. */
export const CHOICE_COMBINATORS: readonly string[] = Object.freeze(['And', 'Or', 'Not']);

export function operatorSpec(name: string): OperatorSpec | undefined {
  return SPECS.get(name);
}

/** The comparison operator fields present in a rule object, in field order. */
export function operatorsIn(rule: object): string[] {
  return Object.keys(rule).filter((key) => SPECS.has(key));
}
