-- People (issue 22): who may do what, the personal API tokens they create, and the audit log of every
-- change. Roles are kept in D1, not KV, because a revoked role or token must stop working at once
-- (KV reads may be a minute old).

-- A role per subject: an email (a person, or an Access service token's common name) or an Access group
-- (`group:<name>`). Without a row, a person is an admin only when the ADMINS var names them.
CREATE TABLE roles (
  subject    TEXT PRIMARY KEY,
  role       TEXT NOT NULL CHECK (role IN ('viewer', 'responder', 'admin')),
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
);

-- Personal API tokens: only the SHA-256 of the token is kept (like source tokens). `revoked_at` is set
-- once and never cleared; `id` is a random UUID, like a source's, so it says nothing about how many there are; a token whose `expires_at` has passed works no more either.
CREATE TABLE api_tokens (
  id              TEXT PRIMARY KEY,
  name            TEXT NOT NULL,
  token_hash      TEXT NOT NULL UNIQUE,
  role            TEXT NOT NULL CHECK (role IN ('viewer', 'responder', 'admin')),
  created_by      TEXT NOT NULL,
  created_by_kind TEXT NOT NULL,
  created_at      TEXT NOT NULL,
  expires_at      TEXT,
  revoked_at      TEXT,
  last_used_at    TEXT,
  -- The Access groups the creator's assertion named when the token was made (a JSON array): each use
  -- caps the token at the role the creator's own grant, these groups' grants and ADMINS give now.
  creator_groups  TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX api_tokens_by_creator ON api_tokens (created_by, created_at);

-- Who changed what, when and from where: one row per change (or per use of the admin token while
-- Cloudflare Access is configured). `details` is a short JSON before/after, never a secret.
CREATE TABLE audit_log (
  id         INTEGER PRIMARY KEY,
  at         TEXT NOT NULL,
  actor      TEXT NOT NULL,
  actor_kind TEXT NOT NULL,
  action     TEXT NOT NULL,
  target     TEXT,
  ip         TEXT,
  details    TEXT
);
-- Listed newest first by (at, id), filtered by one of actor, action or target and a time range: an index
-- on (column, at) per filter (SQLite ends every index with the rowid, `id`), read backwards, serves each
-- page without a sort; audit_log_by_at serves the unfiltered listing and retention's oldest-first purge.
CREATE INDEX audit_log_by_at ON audit_log (at);
CREATE INDEX audit_log_by_actor ON audit_log (actor, at);
CREATE INDEX audit_log_by_action ON audit_log (action, at);
CREATE INDEX audit_log_by_target ON audit_log (target, at);
