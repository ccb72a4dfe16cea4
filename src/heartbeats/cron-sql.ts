/**
 * The cron trigger's heartbeat statements (run by ./cron.ts): missed builds for jobs past their
 * due time, source_silent for sources that stopped sending. Each opening writes the incident and its
 * 'opened' timeline row; ON CONFLICT DO NOTHING against incidents_by_segment (a missed build's key is
 * the job's last build) and incidents_one_open keeps a run that repeats from opening anything twice.
 */

/** Jobs past their due time, the most overdue first (index range scan on jobs_heartbeat_due). ?1 now, ?2 limit. */
export const DUE_JOBS = `
SELECT id, source_id FROM jobs INDEXED BY jobs_heartbeat_due
WHERE heartbeat_due_at < ?1 ORDER BY heartbeat_due_at LIMIT ?2`;

/** ?1: the due jobs as JSON `[{id, priority}]` (priority null: open nothing, only clear). */
const DUE = `SELECT json_extract(value, '$.id') AS id, json_extract(value, '$.priority') AS priority
             FROM json_each(?1)`;

/** ?2 now. A job whose due time moved on since it was read (a build arrived) is left alone. */
export const OPEN_MISSED_BUILDS = `
INSERT INTO incidents (kind, source_id, source_name, job, job_display_name, branch, after_build, state,
                       priority, last_build, opened_at, updated_at)
SELECT 'missed_build', jobs.source_id, jobs.source_name, jobs.job, jobs.display_name,
       (SELECT branch FROM alerts WHERE alerts.source_id = jobs.source_id AND alerts.job = jobs.job
          AND alerts.build_number = jobs.last_build),
       coalesce(jobs.last_build, 0), 'open', due.priority, jobs.last_build, ?2, ?2
FROM (${DUE}) AS due JOIN jobs ON jobs.id = due.id
WHERE due.priority IS NOT NULL AND jobs.heartbeat_due_at < ?2
ON CONFLICT DO NOTHING`;

export const MISSED_BUILDS_OPENED = `
INSERT INTO incident_events (incident_id, type, at, by, note)
SELECT incidents.id, 'opened', ?2, 'heartbeat',
       'No build started since #' || coalesce(jobs.last_build, 0) || '; the next was due by ' || jobs.heartbeat_due_at
FROM (${DUE}) AS due CROSS JOIN jobs CROSS JOIN incidents INDEXED BY incidents_by_segment
WHERE jobs.id = due.id AND incidents.source_id = jobs.source_id AND incidents.job = jobs.job
  AND incidents.kind = 'missed_build' AND incidents.after_build = coalesce(jobs.last_build, 0) AND jobs.heartbeat_due_at < ?2 AND incidents.opened_at = ?2
  AND NOT EXISTS (SELECT 1 FROM incident_events WHERE incident_id = incidents.id AND type = 'opened')`;

/** Until the next build: a miss resolved by hand does not reopen, and the job is not read again. */
export const CLEAR_DUE = `
UPDATE jobs SET heartbeat_due_at = NULL
WHERE id IN (SELECT id FROM (${DUE})) AND heartbeat_due_at < ?2`;

/** A source_silent incident opened at or after the source's last event: this silence is known already. */
const SILENCE_KNOWN = `EXISTS (
  SELECT 1 FROM incidents WHERE incidents.source_id = source_stats.source_id AND incidents.job IS NULL
    AND incidents.kind = 'source_silent' AND incidents.opened_at >= source_stats.last_event_at)`;

/** Sources with no new event since ?1 whose silence is not known yet, the longest silent first; ?2 limit. */
export const QUIET_SOURCES = `
SELECT source_id, last_event_at FROM source_stats
WHERE last_event_at < ?1 AND NOT ${SILENCE_KNOWN}
ORDER BY last_event_at LIMIT ?2`;

/** ?1 source id, ?2 its name, ?3 now, ?4 the source's cutoff (now − its silent_after). */
export const OPEN_SOURCE_SILENT = `
INSERT INTO incidents (kind, source_id, source_name, job, after_build, state, priority, opened_at, updated_at)
SELECT 'source_silent', ?1, ?2, NULL, 0, 'open', 'MEDIUM', ?3, ?3
FROM source_stats WHERE source_id = ?1 AND last_event_at < ?4 AND NOT ${SILENCE_KNOWN}
ON CONFLICT DO NOTHING`;

export const SOURCE_SILENT_OPENED = `
INSERT INTO incident_events (incident_id, type, at, by, note)
SELECT incidents.id, 'opened', ?3, 'heartbeat', 'Jenkins stopped talking: no event since ' || source_stats.last_event_at
FROM incidents JOIN source_stats ON source_stats.source_id = incidents.source_id
WHERE incidents.source_id = ?1 AND incidents.job IS NULL AND incidents.kind = 'source_silent'
  AND incidents.opened_at = ?3
  AND NOT EXISTS (SELECT 1 FROM incident_events WHERE incident_id = incidents.id AND type = 'opened')`;
