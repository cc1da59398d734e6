-- Poison executions: how many attempts in a row to step an execution have begun without committing. Counted
-- before each step (in the statement that loads the execution) and reset by the step's commit, so an execution
-- whose step keeps crashing the process that runs it is recognised and failed instead of crash-looping a role.
ALTER TABLE executions ADD COLUMN step_attempts integer NOT NULL DEFAULT 0;
