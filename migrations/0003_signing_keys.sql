-- Keys Baton generates for itself once and shares between its replicas through the database. Today one: the HMAC
-- key of page tokens (purpose 'page-tokens'), so that a nextToken one API replica issued pages on every other,
-- and after a restart. The first replica to need a key inserts a random one (INSERT ... ON CONFLICT DO NOTHING)
-- and every replica reads back the row that won. BATON_PAGINATION_KEY, when set, is used instead.
CREATE TABLE signing_keys (
  purpose text PRIMARY KEY,
  key text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
