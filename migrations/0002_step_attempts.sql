-- Poison executions: how many processes in a row began to step an execution without committing. Counted before
-- each step (in the statement that loads the execution) when the attempt comes from another process than the
-- last one (`step_owner`: a per-process id), and reset by the step's commit; so an execution whose step keeps
-- crashing the process that runs it is recognised and failed instead of crash-looping a role, while concurrent
-- attempts within one live process never add up.
ALTER TABLE executions ADD COLUMN step_attempts integer NOT NULL DEFAULT 0;
ALTER TABLE executions ADD COLUMN step_owner text;
