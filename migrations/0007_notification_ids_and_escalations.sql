-- Notifications (README "Delivery that loses nothing").
--
-- Additive only: the Worker version before this one neither reads nor writes these.

-- The Standard Webhooks `webhook-id` of each notification: random, made with the row (src/db/notifications.ts),
-- so it is stable across retries and "send again", and never made again by another installation sending
-- to the same receiver, or by this database restored to an earlier point. Rows already there keep the
-- id they were being sent under (incident, event and destination ids), so a retry in flight across the
-- upgrade still carries its id.
ALTER TABLE notifications ADD COLUMN message_id TEXT;
UPDATE notifications
SET message_id = 'itoc_incident' || incident_id || '_' || event || '_destination' || destination_id
WHERE message_id IS NULL;

-- When the NOTIFY_QUEUE consumer last handed the row to its destination's sender (a Durable Object that
-- keeps it until it is attempted): the outbox sweep leaves such a row alone for a while rather than
-- queueing it again every minute while a hung receiver's backlog is worked off.
ALTER TABLE notifications ADD COLUMN handed_over_at TEXT;

-- Escalations (src/notify/escalate.ts): the incidents that may owe one, oldest first, found by index
-- however many others are acknowledged, silenced or resolved.
CREATE INDEX incidents_to_escalate ON incidents (opened_at, id) WHERE state = 'open' AND silenced = 0;
