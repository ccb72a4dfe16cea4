-- Slack (issue 23): which Slack user is which person, and the one-time codes that link them. A button
-- press from a Slack user acts as the person linked here, with that person's role.

-- One row per Slack user (a workspace's team id and the user's id) linked to a person (an Access email).
CREATE TABLE slack_links (
  team_id   TEXT NOT NULL,
  user_id   TEXT NOT NULL,
  user_name TEXT NOT NULL,
  team_name TEXT NOT NULL,
  person    TEXT NOT NULL,
  linked_at TEXT NOT NULL,
  PRIMARY KEY (team_id, user_id)
);
CREATE INDEX slack_links_by_person ON slack_links (person);

-- One-time link codes, given ephemerally to an unlinked user: only the SHA-256 of the code is kept,
-- good until `expires_at` and once (`used_at` set by the confirmation that links).
CREATE TABLE slack_link_codes (
  code_hash  TEXT PRIMARY KEY,
  team_id    TEXT NOT NULL,
  user_id    TEXT NOT NULL,
  user_name  TEXT NOT NULL,
  team_name  TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at    TEXT
);
