-- Deploys on the timeline (docs/incidents.md "Deploys"): a green build (FINALIZED SUCCESS) of a job the
-- source's noise policy names in `deploy_jobs` is a deploy. Its alert keeps when it finished
-- (`deployed_at`: when its green build was received, the clock incidents open by), written by ingest's
-- alert upsert in the batch that stores the build; NULL for every other alert, and for the alerts written
-- before this migration. The partial index holds only deploys, so "the deploys of a source between two
-- instants" reads those and nothing else; retention removes a deploy with its alert.
ALTER TABLE alerts ADD COLUMN deployed_at TEXT;
CREATE INDEX alerts_deploys ON alerts (source_id, deployed_at) WHERE deployed_at IS NOT NULL;

-- A staged delivery's `deploy` (src/core/delivery-params.ts DELIVERY_COLUMNS): 1 for a deploy. The
-- previous Worker stages no deploys, so its rows take 0.
ALTER TABLE ingest_batch ADD COLUMN deploy INTEGER NOT NULL DEFAULT 0;
