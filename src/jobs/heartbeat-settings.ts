/**
 * A job's heartbeat set by hand (PUT/DELETE /api/jobs/:id/heartbeat): an interval and grace, off, or
 * back to learning. The due time is recomputed at once from the job's last build start, so a shorter
 * interval can make the job due at the cron trigger's next run; a miss already opened for the job's
 * last build is not opened again (its key, ../heartbeats/cron-sql.ts). Recorded in the audit log in the
 * same batch.
 */
import type { Actor } from "../audit/actor";
import { auditStatement, CHANGED } from "../audit/entry";
import type { HeartbeatSetting } from "../heartbeats/rules";
import { dueAt } from "../heartbeats/sql";
import { JOB_COLUMNS, type Job, type JobRow, rowToJob } from "./store";

/** ?1 job id, ?2 off (0/1), ?3 hand-set interval (NULL: learn it), ?4 hand-set grace (NULL: default). */
const SET_HEARTBEAT = `
UPDATE jobs SET heartbeat_off = ?2, heartbeat_every_ms = ?3, heartbeat_grace_ms = ?4,
  heartbeat_due_at = CASE WHEN ?2 THEN NULL
                          ELSE ${dueAt("last_started_ts", "coalesce(?3, learned_every_ms)", "?4")} END
WHERE id = ?1
RETURNING ${JOB_COLUMNS}`;

/** Stores `setting` on the job as `actor`; returns the job as it now is, or null when there is no such job. */
export async function setHeartbeat(
  db: D1Database,
  jobId: number,
  setting: HeartbeatSetting,
  actor: Actor,
): Promise<Job | null> {
  const [off, every, grace] =
    setting.mode === "manual"
      ? [0, setting.everyMs, setting.graceMs]
      : [setting.mode === "off" ? 1 : 0, null, null];
  const details = { mode: setting.mode, every_ms: every, grace_ms: grace };
  const [set] = await db.batch<JobRow>([
    db.prepare(SET_HEARTBEAT).bind(jobId, off, every, grace),
    auditStatement(db, { actor, action: "heartbeat.changed", target: `job:${jobId}`, details }, undefined, {
      when: CHANGED,
    }),
  ]);
  const row = set?.results[0];
  return row ? rowToJob(row) : null;
}
