-- Notifications (README "Notifications"): where incidents are announced (Slack, Microsoft Teams, signed
-- webhooks), and what each destination wants to hear about.
--
-- Additive only: the Worker version before this one never reads these tables.

-- Destinations. The URL and the webhook signing secret are secrets that must stay usable (they cannot
-- be hashed like source tokens): each is stored AES-GCM encrypted (src/notify/keyring.ts) under a key
-- of DESTINATIONS_KEY, as base64(iv ‖ ciphertext ‖ tag), with the id of that key beside it so keys can
-- be rotated; the associated data binds each ciphertext to its row id and field. `url_display` is the
-- URL's scheme and host only: all the API ever shows.
--
-- AUTOINCREMENT: an id is never reused, so a ciphertext (bound to its id) or a notification row that
-- names a deleted destination can never be read as another one's. A row is inserted first to learn its
-- id, then its ciphertexts are written (src/notify/destinations.ts): a row whose `url_ciphertext` is
-- still NULL is one whose creation did not finish, and nothing reads it.
CREATE TABLE destinations (
  id                INTEGER PRIMARY KEY AUTOINCREMENT,
  name              TEXT    NOT NULL,
  kind              TEXT    NOT NULL CHECK (kind IN ('slack', 'teams', 'webhook')),
  url_ciphertext    TEXT,
  url_key_id        TEXT,
  url_display       TEXT    NOT NULL,                -- scheme://host[:port], never the path or query
  secret_ciphertext TEXT,                            -- webhook only: the whsec_ signing secret
  secret_key_id     TEXT,
  match             TEXT    NOT NULL DEFAULT '{}',   -- JSON routing rules (src/domain/destination-match.ts)
  on_events         TEXT    NOT NULL DEFAULT '["opened","resolved"]', -- JSON list of events
  escalate_after_ms INTEGER,                         -- "escalated": still open, unacknowledged, this long after opening
  disabled_at       TEXT,
  disabled_reason   TEXT,                            -- "410 Gone", "disabled by hand"
  created_at        TEXT    NOT NULL,
  updated_at        TEXT    NOT NULL
);
