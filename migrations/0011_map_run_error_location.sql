-- The field whose JSONata evaluation failed a Map Run (its ItemSelector, e.g. "ItemSelector/a/b"): the parent records
-- the EvaluationFailed event with this location before MapRunFailed, as it does for an inline Map's fields.
ALTER TABLE map_runs ADD COLUMN error_location text;
