/** Workflow variables: the Assign field, variable names and the size limits (AWS "Passing data between states with variables"). */
export { evaluateAssign } from './assign.js';
export { variableNameProblem, MAX_VARIABLE_NAME_LENGTH, RESERVED_VARIABLE_NAMES } from './names.js';
export {
  checkAssignSizes,
  variablesByteSize,
  MAX_VARIABLE_BYTES,
  MAX_ASSIGN_BYTES,
  MAX_TOTAL_VARIABLE_BYTES,
} from './limits.js';
