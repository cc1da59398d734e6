/**
 * AWS "Variable name syntax": names follow Unicode Standard Annex #31, the first character ID_Start, the others
 * ID_Continue, at most 80 characters. `states` is reserved (`$states`). A name cannot address part of a variable
 * ("you cannot Assign x.y or x[2]"), which the identifier rule already excludes.
 */

export const MAX_VARIABLE_NAME_LENGTH = 80;
export const RESERVED_VARIABLE_NAMES: readonly string[] = ['states'];

const IDENTIFIER = /^\p{ID_Start}\p{ID_Continue}*$/u;

/** null when `name` may be assigned, otherwise why not. */
export function variableNameProblem(name: string): string | null {
  if (name.length === 0) return 'The variable name must not be empty.';
  const length = [...name].length;
  if (length > MAX_VARIABLE_NAME_LENGTH) {
    return `The variable name '${name}' is ${length} characters long; the maximum length of a variable name is ${MAX_VARIABLE_NAME_LENGTH}.`;
  }
  if (!IDENTIFIER.test(name)) {
    return `The variable name '${name}' is not valid: the first character must be a Unicode ID_Start character and the others Unicode ID_Continue characters.`;
  }
  if (RESERVED_VARIABLE_NAMES.includes(name)) return `The variable name '${name}' is reserved.`;
  return null;
}
