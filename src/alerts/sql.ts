/** The build's alert, folded from each new event of the build (built by ../ingest/store.ts). */
import { type Deliveries, deliveryCtes } from "../core/delivery-params";
import { pagingUnlessFlaky } from "../flaky/sql";

/** A value of the delivery being folded in. */
const d = (column: string) => `d."${column}"`;

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
  ["source_id", d("source_id")],
  ["source_name", d("source_name")],
  ["job", d("job")],
  ["job_display_name", d("job_display_name")],
  ["build_number", d("build_number")],
  ["build_url", d("build_url")],
  ["phase", d("phase")],
  ["phase_rank", d("phase_rank")],
  ["status", d("status")],
  ["kind", d("kind")],
  ["priority", d("priority")],
  ["title", d("title")],
  ["branch", d("branch")],
  ["commit_sha", d("commit")],
  [
    "event_count",
    // The build's events up to this one: a batch holds later events of the build that fold in below.
    `(SELECT count(*) FROM events
      WHERE source_id = ${d("source_id")} AND job = ${d("job")} AND build_number = ${d("build_number")}
        AND id <= (SELECT id FROM events WHERE event_uid = ${d("uid")}))`,
  ],
  ["first_seen_at", d("received_at")],
  ["last_seen_at", d("received_at")],
  ["state", d("state")],
  ["resolved_at", `CASE WHEN ${d("state")} = 'resolved' THEN ${d("received_at")} END`],
  ["resolved_by_build", `CASE WHEN ${d("state")} = 'resolved' THEN ${d("build_number")} END`],
  [
    "flapping",
    `coalesce((SELECT flapping FROM jobs WHERE source_id = ${d("source_id")} AND job = ${d("job")}), 0)`,
  ],
  ["finished_ts", d("finished_ts")],
  // When the build started: build.timestamp, which every phase carries; 0 (a QUEUED with no executor
  // yet) is unknown, so the time it was received stands in (ms since the epoch, as Jenkins counts).
  [
    "started_ts",
    `CASE WHEN ${d("build_timestamp")} > 0 THEN ${d("build_timestamp")}
     ELSE CAST(round((julianday(${d("received_at")}) - 2440587.5) * 86400000) AS INTEGER) END`,
  ],
  ["duration_ms", d("duration_ms")],
  ["culprits", d("culprits")],
  ["changes_count", d("changes_count")],
  ["test_summary", d("test_summary")],
  ["summary", d("summary")],
  // The policy's `flaky: "ignore"` keeps a build that failed only on known-flaky tests from paging.
  ["incident_priority", pagingUnlessFlaky("d")],
  // A deploy's finish: when its green build was received (the clock incidents open by).
  ["deployed_at", `CASE WHEN ${d("deploy")} = 1 THEN ${d("received_at")} END`],
];

export const upsertAlerts = (from: Deliveries) => `
WITH ${deliveryCtes(from)}
INSERT INTO alerts (${NEW_ALERT.map(([column]) => column).join(", ")})
SELECT ${NEW_ALERT.map(([, value]) => value).join(",\n       ")}
FROM delivery AS d
WHERE true
-- In the order received, so a batch folds its events exactly as one delivery at a time would.
ORDER BY d.seq
ON CONFLICT (source_id, job, build_number) DO UPDATE SET
  event_count = alerts.event_count + 1,
  first_seen_at = min(alerts.first_seen_at, excluded.first_seen_at),
  last_seen_at = max(alerts.last_seen_at, excluded.last_seen_at),
  source_name = excluded.source_name,
  finished_ts = min(coalesce(alerts.finished_ts, excluded.finished_ts), coalesce(excluded.finished_ts, alerts.finished_ts)),
  started_ts = min(coalesce(alerts.started_ts, excluded.started_ts), coalesce(excluded.started_ts, alerts.started_ts)),
  deployed_at = min(coalesce(alerts.deployed_at, excluded.deployed_at), coalesce(excluded.deployed_at, alerts.deployed_at)),
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
