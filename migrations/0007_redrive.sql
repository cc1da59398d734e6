-- RedriveExecution: the client tokens of the latest redrives (AWS answers the same redrive for the last 10 tokens
-- that redrove an execution, for 15 minutes), and a Map Run's redrive counters (DescribeMapRun).
ALTER TABLE executions
  ADD COLUMN redrive_tokens json;

ALTER TABLE map_runs
  ADD COLUMN redrive_count integer NOT NULL DEFAULT 0,
  ADD COLUMN redrive_date timestamptz;
