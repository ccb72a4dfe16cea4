-- A job's history by time (issue 24, the job's page and GET /api/jobs/:id/history): its builds first
-- heard of in the last 30 days, for failure rates and time to green, read as one range of this index
-- instead of the job's whole retained history.
--
-- Additive only: the Worker version before this one never reads it; its writes to alerts keep it up
-- to date like every other index.
CREATE INDEX alerts_by_job_time ON alerts (source_id, job, first_seen_at);
