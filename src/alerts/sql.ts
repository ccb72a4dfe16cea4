/** The build's alert, folded from each new event of the build (bound by ../ingest/store.ts). */
import { IS_NEW, P } from "../core/delivery-params";

/** Columns that follow the furthest phase seen (ties: the latest delivery). */
const ADVANCING = [
  "phase",
  "phase_rank",
  "status",
  "kind",
  "priority",
  "title",
  "job_display_name",
  "summary",
  "incident_priority",
];
const advance = (column: string) =>
  `${column} = CASE WHEN excluded.phase_rank >= alerts.phase_rank THEN excluded.${column} ELSE alerts.${column} END`;
const latestKnown = (column: string) => `${column} = coalesce(excluded.${column}, alerts.${column})`;

/**
 * The build's alert. State folding: `resolved` is final; a RESOLVE resolves an open or stale alert
 * (a quiet one stays quiet); an event that opens makes it open; any new event revives a stale one.
 * A build's own RESOLVE always names the build itself as the resolver, even if a later green build
 * resolved it first (its COMPLETED SUCCESS arrived before its FINALIZED).
 */
/** A new alert's columns and the value each takes: one table, so a column and its value cannot part. */
const NEW_ALERT: [column: string, value: string][] = [
  ["source_id", P("source_id")],
  ["source_name", P("source_name")],
  ["job", P("job")],
  ["job_display_name", P("job_display_name")],
  ["build_number", P("build_number")],
  ["build_url", P("build_url")],
  ["phase", P("phase")],
  ["phase_rank", P("phase_rank")],
  ["status", P("status")],
  ["kind", P("kind")],
  ["priority", P("priority")],
  ["title", P("title")],
  ["branch", P("branch")],
  ["commit_sha", P("commit")],
  [
    "event_count",
    `(SELECT count(*) FROM events
      WHERE source_id = ${P("source_id")} AND job = ${P("job")} AND build_number = ${P("build_number")})`,
  ],
  ["first_seen_at", P("received_at")],
  ["last_seen_at", P("received_at")],
  ["state", P("state")],
  ["resolved_at", `CASE WHEN ${P("state")} = 'resolved' THEN ${P("received_at")} END`],
  ["resolved_by_build", `CASE WHEN ${P("state")} = 'resolved' THEN ${P("build_number")} END`],
  [
    "flapping",
    `coalesce((SELECT flapping FROM jobs WHERE source_id = ${P("source_id")} AND job = ${P("job")}), 0)`,
  ],
  ["finished_ts", P("finished_ts")],
  // When the build started: build.timestamp, which every phase carries; 0 (a QUEUED with no executor
  // yet) is unknown, so the time it was received stands in (ms since the epoch, as Jenkins counts).
  [
    "started_ts",
    `CASE WHEN ${P("build_timestamp")} > 0 THEN ${P("build_timestamp")}
     ELSE CAST(round((julianday(${P("received_at")}) - 2440587.5) * 86400000) AS INTEGER) END`,
  ],
  ["duration_ms", P("duration_ms")],
  ["culprits", P("culprits")],
  ["changes_count", P("changes_count")],
  ["test_summary", P("test_summary")],
  ["summary", P("summary")],
  ["incident_priority", P("incident_priority")],
];

export const UPSERT_ALERT = `
INSERT INTO alerts (${NEW_ALERT.map(([column]) => column).join(", ")})
SELECT ${NEW_ALERT.map(([, value]) => value).join(",\n       ")}
WHERE ${IS_NEW}
ON CONFLICT (source_id, job, build_number) DO UPDATE SET
  event_count = alerts.event_count + 1,
  first_seen_at = min(alerts.first_seen_at, excluded.first_seen_at),
  last_seen_at = max(alerts.last_seen_at, excluded.last_seen_at),
  source_name = excluded.source_name,
  finished_ts = min(coalesce(alerts.finished_ts, excluded.finished_ts), coalesce(excluded.finished_ts, alerts.finished_ts)),
  started_ts = min(coalesce(alerts.started_ts, excluded.started_ts), coalesce(excluded.started_ts, alerts.started_ts)),
  state = CASE
    WHEN alerts.state = 'resolved' THEN 'resolved'
    WHEN excluded.kind = 'RESOLVE' THEN CASE WHEN alerts.state = 'quiet' THEN 'quiet' ELSE 'resolved' END
    WHEN excluded.state = 'open' OR alerts.state = 'stale' THEN 'open'
    ELSE alerts.state END,
  resolved_at = CASE WHEN alerts.state IN ('open', 'stale') AND excluded.kind = 'RESOLVE'
                     THEN excluded.last_seen_at ELSE alerts.resolved_at END,
  resolved_by_build = CASE WHEN excluded.kind = 'RESOLVE' AND alerts.state != 'quiet'
                           THEN alerts.build_number ELSE alerts.resolved_by_build END,
  ${["build_url", "branch", "commit_sha", "duration_ms", "culprits", "changes_count", "test_summary"].map(latestKnown).join(",\n  ")},
  ${ADVANCING.map(advance).join(",\n  ")}`;
