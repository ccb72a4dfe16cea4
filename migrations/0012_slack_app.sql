-- Slack app destinations (issue 23, docs/slack.md): a `slack` destination that posts with the app's bot
-- token through Slack's Web API instead of an incoming webhook, threads its follow-ups under the first
-- message and keeps that message up to date.
--
-- Additive only: the Worker version before this one neither reads nor writes these columns, and cannot
-- create such a destination.

-- The channel's ID (`C…`, `G…`) a Slack app destination posts to; NULL for every other destination. A
-- channel ID is no secret (the slash command finds a channel's destinations by it). For such a row the
-- sealed `url_ciphertext` holds the bot token (`xoxb-…`), the one secret that reaches the channel, sealed
-- exactly as a URL is (src/notify/destinations/keyring.ts) and never returned; `url_display` is the Web
-- API's origin.
ALTER TABLE destinations ADD COLUMN slack_channel TEXT;

-- Where an incident's first message to a Slack app destination landed, on its delivered "opened" row:
-- the channel and the message's `ts`, as `chat.postMessage` answered. Follow-ups reply in its thread and
-- update it in place (`chat.update`). NULL on every other row.
ALTER TABLE notifications ADD COLUMN slack_channel TEXT;
ALTER TABLE notifications ADD COLUMN slack_ts TEXT;
