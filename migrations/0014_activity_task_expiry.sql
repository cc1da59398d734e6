-- When an activity task's TimeoutSeconds runs out (null: it has none). GetActivityTask skips a task past it: the
-- task is timed out (its timer fires, or has fired and its step is on the way), and a worker handed it could only be
-- answered TaskTimedOut. Under load, when timers fire late, pollers spent whole rounds on such tasks while live
-- ones waited behind them (the chaos run: about a third of the tasks handed out were already past their time).
ALTER TABLE activity_tasks ADD COLUMN expires_at timestamptz;
