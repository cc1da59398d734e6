-- Room on each page of `executions` for the row's next version. Every transition rewrites its execution's row (the
-- document, the version); with full pages (the default fillfactor of 100) the new version goes to another page and
-- every index of the table gets a new entry, eight of them. With room left on the page, Postgres writes a heap-only
-- tuple (HOT): no index entry, and the old version is pruned from the page itself. Measured in the bench's Lambda
-- Task chain (issue 13): about 70% of the updates were HOT before.
--
-- Takes effect for pages written from now on; existing pages keep their layout until they are rewritten (VACUUM
-- FULL, or pg_repack, in a quiet moment, if an installation wants its old rows to benefit too).
ALTER TABLE executions SET (fillfactor = 60);
