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

-- The outbox. The batch that writes an incident's timeline entry (ingest, an action, the cron
-- trigger) is the batch that makes it owe notifications; `routed_at` is set once its notification
-- rows exist (src/notify/route.ts). Entries still unrouted a little later are picked up by the sweep.
ALTER TABLE incident_events ADD COLUMN routed_at TEXT;
CREATE INDEX incident_events_unrouted ON incident_events (at)
  WHERE routed_at IS NULL AND type IN ('opened', 'acknowledged', 'resolved', 'unsilenced');

-- One row per (incident, event, destination): its webhook-id is stable, so a retry or a "send again"
-- is the same message to the receiver.
--   pending    to send (a queue message carries it; the sweep re-sends one whose message was lost)
--   waiting    held: "opened" not delivered yet (for acknowledged/resolved/escalated), or the incident is silenced
--   delivered  the receiver answered 2xx
--   failed     gave up: a 4xx other than 408/429, 410 (the destination is disabled), the retry schedule spent, or dead-lettered
--   skipped    not to be sent: its "opened" was never delivered
CREATE TABLE notifications (
  id              INTEGER PRIMARY KEY,
  incident_id     INTEGER NOT NULL,
  destination_id  INTEGER NOT NULL,
  event           TEXT    NOT NULL CHECK (event IN ('opened', 'acknowledged', 'escalated', 'resolved')),
  state           TEXT    NOT NULL CHECK (state IN ('pending', 'waiting', 'delivered', 'failed', 'skipped')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  last_status     INTEGER,                          -- the receiver's HTTP status; NULL: no answer
  last_error      TEXT,
  created_at      TEXT    NOT NULL,
  next_attempt_at TEXT    NOT NULL,                 -- not before; also when the sweep deems its message lost
  lease_until     TEXT,                             -- an attempt in flight: no other consumer sends it meanwhile
  delivered_at    TEXT,
  gave_up_at      TEXT,
  UNIQUE (incident_id, event, destination_id)
);
CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE state = 'pending';
CREATE INDEX notifications_by_destination ON notifications (destination_id, incident_id);
