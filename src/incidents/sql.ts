/**
 * Failure incidents, kept by ingest in the delivery's own batch (bound by {@link writeDeliveries}; the
 * rules, "one incident per streak", in docs/incidents.md). A job's finished builds in build-number order
 * are cut into segments by fences (green builds, and the ranges of incidents resolved by hand); a
 * segment holds at most one incident, keyed by its lower fence (`after_build`).
 *
 * Invariants: every new finished event recomputes the segment(s) around its build from the alerts, so
 * delivery order and duplicates change nothing; a resolved incident is never reopened (ON CONFLICT only
 * moves towards resolved); only a job's topmost segment can be open, so the one-open-incident index never
 * conflicts. No statement ever fails a delivery.
 */
import { IS_NEW, P } from "../core/delivery-params";

const JOB = `source_id = ${P("source_id")} AND job = ${P("job")}`;
const BIG = "9223372036854775807";

/**
 * Whether `build` lies in the range of an incident resolved by hand (its first build to the last one
 * it had when resolved, `fence_build`): that range is frozen, and a green build inside it is no fence.
 */
const handResolvedAround = (build: string) =>
  `EXISTS (SELECT 1 FROM incidents INDEXED BY incidents_hand_resolved
    WHERE ${JOB} AND fence_build >= ${build} AND first_build <= ${build})`;

/** The job's green build nearest below/above `build` (an index seek on alerts_green_by_job). */
const greenBelow = (build: string) =>
  `(SELECT g.build_number FROM alerts AS g INDEXED BY alerts_green_by_job
    WHERE g.source_id = ${P("source_id")} AND g.job = ${P("job")} AND g.kind = 'RESOLVE'
      AND g.build_number < ${build} AND NOT ${handResolvedAround("g.build_number")}
    ORDER BY g.build_number DESC LIMIT 1)`;
const greenAbove = (build: string) =>
  `(SELECT g.build_number FROM alerts AS g INDEXED BY alerts_green_by_job
    WHERE g.source_id = ${P("source_id")} AND g.job = ${P("job")} AND g.kind = 'RESOLVE'
      AND g.build_number > ${build} AND NOT ${handResolvedAround("g.build_number")}
    ORDER BY g.build_number LIMIT 1)`;
/** The nearest range resolved by hand: its end below `build`, or (less one) its start above it. */
const manualBelow = (build: string) =>
  `(SELECT max(fence_build) FROM incidents INDEXED BY incidents_hand_resolved
    WHERE ${JOB} AND fence_build < ${build})`;
const manualAbove = (build: string) =>
  `(SELECT min(first_build) - 1 FROM incidents INDEXED BY incidents_hand_resolved
    WHERE ${JOB} AND fence_build IS NOT NULL AND first_build > ${build})`;

/** The lower fence of the segment holding `build` (0: the job's first segment). */
const lowerFence = (build: string) =>
  `max(coalesce(${greenBelow(build)}, 0), coalesce(${manualBelow(build)}, 0))`;

/** Where a delivery's segment recomputes start: below its build, and (for a green build) at it. */
export type SegmentAnchor = "below" | "at";
const anchorOf = (anchor: SegmentAnchor) =>
  anchor === "below"
    ? lowerFence(P("build_number"))
    : // A green build inside a range resolved by hand starts no segment.
      `CASE WHEN ${handResolvedAround(P("build_number"))} THEN NULL ELSE ${P("build_number")} END`;

/** The segment starting at `anchor` (a CTE named `name`): its lower fence, upper bound and the green that closes it. */
const segment = (anchor: SegmentAnchor, name = "segment") => `
${name} AS MATERIALIZED (
  SELECT lo, min(coalesce(green, ${BIG}), coalesce(manual, ${BIG})) AS hi,
         CASE WHEN green IS NOT NULL AND green <= coalesce(manual, ${BIG}) THEN green END AS closed_by,
         manual IS NOT NULL AND manual < coalesce(green, ${BIG}) AS below_hand_resolved
  FROM (SELECT lo, ${greenAbove("lo")} AS green, ${manualAbove("lo")} AS manual
        FROM (SELECT ${anchorOf(anchor)} AS lo)))`;

const RANK = `CASE incident_priority WHEN 'HIGH' THEN 3 WHEN 'MEDIUM' THEN 2 ELSE 1 END`;

/**
 * The segment's incident, created once it has enough paging builds (or updated if it exists): its
 * builds, count, priority (the highest of its builds), branch, and resolved when a green closes it.
 */
export const upsertSegmentIncident = (anchor: SegmentAnchor) => `
WITH ${segment(anchor)},
members AS MATERIALIZED (
  SELECT build_number, incident_priority, branch FROM alerts, segment
  WHERE ${JOB} AND build_number > segment.lo AND build_number <= segment.hi AND incident_priority IS NOT NULL),
summary AS (
  SELECT count(*) AS n, min(build_number) AS first_build, max(build_number) AS last_build,
         CASE max(${RANK}) WHEN 3 THEN 'HIGH' WHEN 2 THEN 'MEDIUM' ELSE 'LOW' END AS priority,
         (SELECT branch FROM members ORDER BY build_number DESC LIMIT 1) AS branch
  FROM members)
INSERT INTO incidents (kind, source_id, source_name, job, job_display_name, branch, after_build, state,
                       priority, first_build, last_build, build_count, opened_at, resolved_at, resolved_by,
                       resolved_by_build, silenced, updated_at)
SELECT 'failure', ${P("source_id")}, ${P("source_name")}, ${P("job")}, ${P("job_display_name")}, summary.branch,
       segment.lo, CASE WHEN segment.closed_by IS NULL THEN 'open' ELSE 'resolved' END,
       summary.priority, summary.first_build, summary.last_build, summary.n, ${P("received_at")},
       CASE WHEN segment.closed_by IS NOT NULL THEN ${P("received_at")} END,
       CASE WHEN segment.closed_by IS NOT NULL THEN 'build' END,
       segment.closed_by, ${P("silenced")}, ${P("received_at")}
FROM summary, segment
WHERE ${IS_NEW} AND summary.n > 0
  AND ((summary.n >= ${P("min_failures")} AND NOT segment.below_hand_resolved)
       OR EXISTS (SELECT 1 FROM incidents WHERE ${JOB} AND kind = 'failure' AND after_build = segment.lo))
ON CONFLICT (source_id, job, kind, after_build) DO UPDATE SET
  source_name = excluded.source_name,
  job_display_name = excluded.job_display_name,
  branch = excluded.branch,
  priority = excluded.priority,
  first_build = excluded.first_build,
  last_build = excluded.last_build,
  build_count = excluded.build_count,
  state = CASE WHEN excluded.state = 'resolved' THEN 'resolved' ELSE incidents.state END,
  resolved_at = CASE WHEN incidents.state != 'resolved' AND excluded.state = 'resolved'
                     THEN excluded.resolved_at ELSE incidents.resolved_at END,
  resolved_by = coalesce(incidents.resolved_by, excluded.resolved_by),
  -- A lower green that arrives later closes the segment sooner: it is the resolver from then on.
  resolved_by_build = CASE WHEN coalesce(incidents.resolved_by, 'build') = 'build' AND excluded.resolved_by_build IS NOT NULL
                           THEN excluded.resolved_by_build ELSE incidents.resolved_by_build END,
  updated_at = excluded.updated_at
-- An incident resolved by hand is frozen: later deliveries change nothing of it.
WHERE incidents.fence_build IS NULL
ON CONFLICT DO NOTHING`;

/**
 * Links the paging builds of the segments starting at `anchors` to their incidents (none while a
 * segment has too few) and unlinks the rest: one statement for both of a green build's segments.
 */
export const linkSegmentAlerts = (anchors: SegmentAnchor[]) => `
WITH ${anchors.map((anchor, i) => segment(anchor, `segment${i}`)).join(",")},
segments AS (${anchors.map((_, i) => `SELECT lo, hi FROM segment${i} WHERE lo IS NOT NULL`).join(" UNION ALL ")})
UPDATE alerts SET incident_id = CASE WHEN incident_priority IS NULL THEN NULL ELSE
    (SELECT id FROM incidents, segments WHERE ${JOB} AND kind = 'failure' AND after_build = segments.lo
       AND alerts.build_number > segments.lo AND alerts.build_number <= segments.hi) END
WHERE ${JOB}
  AND build_number > (SELECT min(lo) FROM segments) AND build_number <= (SELECT max(hi) FROM segments)
  AND EXISTS (SELECT 1 FROM segments WHERE alerts.build_number > lo AND alerts.build_number <= hi)
  AND (incident_priority IS NOT NULL OR incident_id IS NOT NULL)
  AND ${IS_NEW}`;

/**
 * Before a green build's segments are recomputed: the incident of the segment it falls in moves up to
 * it when all of its builds are above the green (the green arrived late, below them), so the incident
 * keeps its identity instead of being resolved empty and opened again.
 */
export const MOVE_INCIDENT_ABOVE_GREEN = `
UPDATE OR IGNORE incidents SET after_build = ${P("build_number")}, updated_at = ${P("received_at")}
WHERE ${JOB} AND kind = 'failure' AND after_build = ${lowerFence(P("build_number"))}
  AND first_build > ${P("build_number")} AND fence_build IS NULL
  AND NOT ${handResolvedAround(P("build_number"))}
  AND ${IS_NEW}`;
