/**
 * Reading incidents (kept by ingest, ./sql.ts, and by the cron trigger) as models, and the two
 * things people do to them: acknowledge and resolve by hand. Each action is one batch: the change and
 * its timeline entry commit together, and repeating it changes nothing.
 */
import { type Actor, actorLabel } from "../audit/actor";
import { type AuditAction, auditStatement, CHANGED } from "../audit/entry";
import { jobLabel } from "../core/job";
import {
  type IncidentKind,
  type IncidentState,
  PRIORITIES,
  type Priority,
  type Resolver,
} from "../core/vocabulary";
import { failedOnlyOnFlakyTests } from "../flaky/sql";
import { amongJobs, type JobRef } from "../jobs/search";
import { keysetPage } from "../platform/db/keyset";

const FILTER_COLUMNS = ["state", "kind", "source_id", "job", "priority"] as const;
export type IncidentFilters = Partial<Record<(typeof FILTER_COLUMNS)[number], string>> & {
  /** Only these jobs' incidents (a job search's matches, ../jobs/search.ts). */
  jobs?: JobRef[];
};

/** Alert ids an incident lists (its newest builds); `build_count` says how many it has in all. */
export const ALERT_IDS_SHOWN = 100;
/** Timeline entries an incident shows (its newest, oldest first). */
export const TIMELINE_SHOWN = 500;

interface IncidentRow {
  id: number;
  kind: IncidentKind;
  source_id: string;
  source_name: string;
  job: string | null;
  job_display_name: string | null;
  branch: string | null;
  state: IncidentState;
  priority: Priority;
  first_build: number | null;
  last_build: number | null;
  build_count: number;
  opened_at: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
  resolved_at: string | null;
  resolved_by: Resolver | null;
  resolved_by_build: number | null;
  resolved_by_name: string | null;
  silenced: number;
  flaky: number;
  latest_alert_id: number | null;
}

export interface Incident extends Omit<IncidentRow, "silenced" | "flaky"> {
  /** The job path as the dashboard displays it (multibranch names decoded). */
  job_path: string | null;
  silenced: boolean;
  /** Every failing build failed only on known-flaky tests ({@link failedOnlyOnFlakyTests}), and the policy marks it. */
  flaky: boolean;
  alert_ids: number[];
}

export interface IncidentEvent {
  id: number;
  type: "opened" | "joined" | "acknowledged" | "silenced" | "unsilenced" | "resolved";
  at: string;
  build_number: number | null;
  by: string | null;
  note: string | null;
}

/**
 * A failure incident whose builds all failed only on known-flaky tests, unless its source's policy says
 * `flaky: "page"` (read here, not copied onto the incident: a policy change applies to what is shown).
 */
const FLAKY = `(incidents.kind = 'failure'
  AND EXISTS (SELECT 1 FROM alerts AS a WHERE a.incident_id = incidents.id)
  AND NOT EXISTS (SELECT 1 FROM alerts AS a WHERE a.incident_id = incidents.id AND NOT ${failedOnlyOnFlakyTests("a")})
  AND coalesce((SELECT json_extract(p.policy, '$.flaky') FROM source_policies AS p
                WHERE p.source_id = incidents.source_id), 'mark') != 'page')`;

const COLUMNS = `id, kind, source_id, source_name, job, job_display_name, branch, state, priority, first_build,
  last_build, build_count, opened_at, acknowledged_at, acknowledged_by, resolved_at, resolved_by,
  resolved_by_build, resolved_by_name, silenced, ${FLAKY} AS flaky,
  (SELECT a.id FROM alerts a WHERE a.source_id = incidents.source_id AND a.job = incidents.job
     AND a.build_number = incidents.last_build) AS latest_alert_id`;

/** The alert ids of `incidents`' builds, newest first, at most ALERT_IDS_SHOWN each: one query. */
async function withAlertIds(db: D1Database, rows: IncidentRow[]): Promise<Incident[]> {
  const ids = rows.filter((row) => row.kind === "failure").map((row) => row.id);
  const byIncident = new Map<number, number[]>();
  if (ids.length > 0) {
    const { results } = await db
      .prepare(
        `SELECT incident_id, id FROM (
           SELECT incident_id, id,
                  row_number() OVER (PARTITION BY incident_id ORDER BY build_number DESC) AS n
           FROM alerts WHERE incident_id IN (SELECT value FROM json_each(?1)))
         WHERE n <= ?2 ORDER BY incident_id, n`,
      )
      .bind(JSON.stringify(ids), ALERT_IDS_SHOWN)
      .all<{ incident_id: number; id: number }>();
    for (const { incident_id, id } of results) {
      byIncident.set(incident_id, [...(byIncident.get(incident_id) ?? []), id]);
    }
  }
  return rows.map(({ silenced, flaky, ...row }) => ({
    ...row,
    job_path: row.job === null ? null : jobLabel(row.job),
    silenced: silenced === 1,
    flaky: flaky === 1,
    alert_ids: byIncident.get(row.id) ?? [],
  }));
}

export async function listIncidents(
  db: D1Database,
  filters: IncidentFilters,
  limit: number,
  before?: number,
): Promise<Incident[]> {
  const { jobs, ...equal } = filters;
  const bound = jobs ? [amongJobs(jobs)] : [];
  // Job by job: otherwise the planner may scan a whole state and test each row against the list.
  const from = jobs ? "incidents INDEXED BY incidents_by_job" : "incidents";
  const rows = await keysetPage<IncidentRow>(
    db,
    { select: COLUMNS, from, filters: equal, columns: FILTER_COLUMNS, bound },
    limit,
    before,
  );
  return withAlertIds(db, rows);
}

/** Highest priority first, in SQL: each priority's place in {@link PRIORITIES}. */
export const BY_PRIORITY = `CASE priority ${PRIORITIES.map((p, i) => `WHEN '${p}' THEN ${i}`).join(" ")} END`;

/**
 * What needs attention: open and acknowledged incidents, highest priority first, then newest (open
 * incidents are few: the sort reads only them, through incidents_needing_attention).
 */
export async function incidentsNeedingAttention(db: D1Database, limit: number): Promise<Incident[]> {
  const { results } = await db
    .prepare(
      `SELECT ${COLUMNS} FROM incidents INDEXED BY incidents_needing_attention WHERE state != 'resolved'
       ORDER BY ${BY_PRIORITY}, opened_at DESC, id DESC
       LIMIT ?1`,
    )
    .bind(limit)
    .all<IncidentRow>();
  return withAlertIds(db, results);
}

/** One incident without its timeline (what routing and sending read), or null. */
export async function findIncident(db: D1Database, id: number): Promise<Incident | null> {
  const row = await db
    .prepare(`SELECT ${COLUMNS} FROM incidents WHERE id = ?1`)
    .bind(id)
    .first<IncidentRow>();
  if (!row) return null;
  const [model] = await withAlertIds(db, [row]);
  return model ?? null;
}

export async function getIncident(
  db: D1Database,
  id: number,
): Promise<{ incident: Incident; timeline: IncidentEvent[] } | null> {
  const [incident, timeline] = await db.batch<IncidentRow | IncidentEvent>([
    db.prepare(`SELECT ${COLUMNS} FROM incidents WHERE id = ?1`).bind(id),
    db
      .prepare(
        `SELECT * FROM (SELECT id, type, at, build_number, by, note FROM incident_events
           WHERE incident_id = ?1 ORDER BY id DESC LIMIT ?2) ORDER BY id`,
      )
      .bind(id, TIMELINE_SHOWN),
  ]);
  const row = incident?.results[0] as IncidentRow | undefined;
  if (!row) return null;
  const [model] = await withAlertIds(db, [row]);
  return { incident: model as Incident, timeline: (timeline?.results ?? []) as IncidentEvent[] };
}

export interface Action {
  /** Who acts: the verified actor, named on the timeline by {@link actorLabel} and recorded in the audit log. */
  actor: Actor;
  note: string | null;
  at: string;
}

/**
 * Acknowledges an open incident (an acknowledged or resolved one is left as it is): returns whether
 * the incident exists. The timeline entry is written only when the state changed, in the same batch.
 */
export async function acknowledgeIncident(db: D1Database, id: number, action: Action): Promise<ActionResult> {
  return act(db, id, action, "incident.acknowledged", {
    change: `UPDATE incidents SET state = 'acknowledged', acknowledged_at = ?2, acknowledged_by = ?3, updated_at = ?2
             WHERE id = ?1 AND state = 'open'`,
    changed: `state = 'acknowledged' AND acknowledged_at = ?2`,
    type: "acknowledged",
  });
}

/**
 * Resolves an incident by hand (a resolved one is left as it is). A failure incident resolved by hand
 * stays resolved: its last build becomes a fence, and the job's next paging build opens a new one.
 */
export async function resolveIncident(db: D1Database, id: number, action: Action): Promise<ActionResult> {
  return act(db, id, action, "incident.resolved", {
    // A failure incident's builds up to its last one are frozen: ingest changes it no more.
    change: `UPDATE incidents SET state = 'resolved', resolved_at = ?2, resolved_by = 'manual',
               resolved_by_name = ?3, updated_at = ?2,
               fence_build = CASE WHEN kind = 'failure' THEN last_build END
             WHERE id = ?1 AND state != 'resolved'`,
    changed: `state = 'resolved' AND resolved_by = 'manual' AND resolved_at = ?2`,
    type: "resolved",
  });
}

/** Whether the incident exists, and the timeline entry the action wrote (none when nothing changed). */
export interface ActionResult {
  found: boolean;
  timeline: { id: number; type: string }[];
}

async function act(
  db: D1Database,
  id: number,
  { actor, note, at }: Action,
  audited: AuditAction,
  sql: { change: string; changed: string; type: IncidentEvent["type"] },
): Promise<ActionResult> {
  const by = actorLabel(actor);
  const audit = { actor, action: audited, target: `incident:${id}` };
  const [, entries, , exists] = await db.batch<{ id: number; type: string }>([
    db.prepare(sql.change).bind(id, at, by),
    db
      .prepare(
        `INSERT INTO incident_events (incident_id, type, at, by, note)
         SELECT id, ?4, ?2, ?3, ?5 FROM incidents WHERE id = ?1 AND ${sql.changed}
           AND NOT EXISTS (SELECT 1 FROM incident_events WHERE incident_id = ?1 AND type = ?4 AND at = ?2)
         RETURNING id, type`,
      )
      .bind(id, at, by, sql.type, note),
    // Recorded when the timeline entry was: an incident already in that state records nothing.
    auditStatement(db, audit, at, { when: CHANGED }),
    db.prepare("SELECT 1 AS found FROM incidents WHERE id = ?1").bind(id),
  ]);
  return { found: (exists?.results.length ?? 0) > 0, timeline: entries?.results ?? [] };
}
