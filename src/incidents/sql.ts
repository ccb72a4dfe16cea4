/**
 * Failure incidents, kept by ingest in the deliveries' own batch (built by ../ingest/store.ts; the
 * rules, "one incident per streak", in docs/incidents.md). A job's finished builds in build-number order
 * are cut into segments by fences (green builds, and the ranges of incidents resolved by hand); a
 * segment holds at most one incident, keyed by its lower fence (`after_build`).
 *
 * Invariants: the segments around every new finished build of a write are recomputed from the alerts
 * once, after all of the write's alerts were folded, so delivery order, grouping and duplicates change
 * nothing; a resolved incident is never reopened (ON CONFLICT only moves towards resolved); only a job's
 * topmost segment can be open, so the one-open-incident index never conflicts. No statement ever fails
 * a delivery.
 */
import { type Deliveries, deliveryCtes, WRITE_STAMP } from "../core/delivery-params";

const BIG = "9223372036854775807";
/** `table`'s row belongs to the job of `of`'s row. */
const sameJob = (table: string, of: string) =>
  `${table}.source_id = ${of}.source_id AND ${table}.job = ${of}.job`;

/**
 * When build `a.build_number` of `a`'s job arrived in the write: -1 when it had finished before it (an
 * event of it with a finished phase is stored that is not the write's), else the place in the write
 * of its first finished delivery. What one-by-one storage would have seen at each step.
 */
export const arrivalSeq = (a: string) => `
  CASE WHEN EXISTS (SELECT 1 FROM events AS e
                    WHERE e.source_id = ${a}.source_id AND e.job = ${a}.job AND e.build_number = ${a}.build_number
                      AND e.phase IN ('COMPLETED', 'FINALIZED')
                      AND NOT EXISTS (SELECT 1 FROM delivery AS w WHERE w.uid = e.event_uid))
       THEN -1
       ELSE coalesce((SELECT min(d.seq) FROM delivery AS d
                      WHERE d.source_id = ${a}.source_id AND d.job = ${a}.job
                        AND d.build_number = ${a}.build_number AND d.phase_rank >= 3), -1) END`;

/**
 * Whether `build` of `of`'s job lies in the range of an incident resolved by hand (its first build to
 * the last one it had when resolved, `fence_build`): that range is frozen, and a green build inside it
 * is no fence.
 */
const handResolvedAround = (of: string, build: string) =>
  `EXISTS (SELECT 1 FROM incidents AS h INDEXED BY incidents_hand_resolved
    WHERE ${sameJob("h", of)} AND h.fence_build >= ${build} AND h.first_build <= ${build})`;

/** The job's green build nearest below/above `build` (an index seek on alerts_green_by_job). */
const greenNear = (of: string, build: string, direction: "below" | "above", except = "false") =>
  `(SELECT g.build_number FROM alerts AS g INDEXED BY alerts_green_by_job
    WHERE ${sameJob("g", of)} AND g.kind = 'RESOLVE'
      AND g.build_number ${direction === "below" ? "<" : ">"} ${build}
      AND NOT ${handResolvedAround("g", "g.build_number")} AND NOT (${except})
    ORDER BY g.build_number ${direction === "below" ? "DESC" : ""} LIMIT 1)`;
/** The nearest range resolved by hand: its end below `build`, or (less one) its start above it. */
const manualBelow = (of: string, build: string) =>
  `(SELECT max(m.fence_build) FROM incidents AS m INDEXED BY incidents_hand_resolved
    WHERE ${sameJob("m", of)} AND m.fence_build < ${build})`;
const manualAbove = (of: string, build: string) =>
  `(SELECT min(m.first_build) - 1 FROM incidents AS m INDEXED BY incidents_hand_resolved
    WHERE ${sameJob("m", of)} AND m.fence_build IS NOT NULL AND m.first_build > ${build})`;

/** The lower fence of the segment holding `build` (0: the job's first segment). */
const lowerFence = (of: string, build: string, exceptGreen?: string) =>
  `max(coalesce(${greenNear(of, build, "below", exceptGreen)}, 0), coalesce(${manualBelow(of, build)}, 0))`;

/**
 * The segments a write recomputes: below each new finished build, and at each new green build (a
 * green build inside a range resolved by hand starts none); per segment, its lower fence `lo`, upper
 * bound `hi`, the green that closes it, and whether a range resolved by hand ends it.
 */
const SEGMENTS = `
anchors AS (
  SELECT d.source_id, d.job, ${lowerFence("d", "d.build_number")} AS lo FROM delivery AS d WHERE d.phase_rank >= 3
  UNION
  SELECT d.source_id, d.job, d.build_number FROM delivery AS d
  WHERE d.kind = 'RESOLVE' AND NOT ${handResolvedAround("d", "d.build_number")}),
segments AS MATERIALIZED (
  SELECT source_id, job, lo, min(coalesce(green, ${BIG}), coalesce(manual, ${BIG})) AS hi,
         CASE WHEN green IS NOT NULL AND green <= coalesce(manual, ${BIG}) THEN green END AS closed_by,
         manual IS NOT NULL AND manual < coalesce(green, ${BIG}) AS below_hand_resolved
  FROM (SELECT a.source_id, a.job, a.lo, ${greenNear("a", "a.lo", "above")} AS green, ${manualAbove("a", "a.lo")} AS manual
        FROM anchors AS a))`;

const RANK = `CASE incident_priority WHEN 'HIGH' THEN 3 WHEN 'MEDIUM' THEN 2 ELSE 1 END`;

/**
 * Each recomputed segment's incident, created once it has enough paging builds (or updated if it
 * exists): its builds, count, priority (the highest of its builds), branch (its last build's), and
 * resolved when a green closes it. Name and threshold: the job's latest delivery's; silence: the
 * opening delivery's (else the job's latest finished one's).
 */
export const upsertSegmentIncidents = (from: Deliveries) => `
WITH ${deliveryCtes(from)}, ${SEGMENTS},
members AS MATERIALIZED (
  SELECT s.source_id, s.job, s.lo, a.build_number, a.incident_priority, a.branch
  FROM segments AS s CROSS JOIN alerts AS a
  WHERE ${sameJob("a", "s")} AND a.build_number > s.lo AND a.build_number <= s.hi AND a.incident_priority IS NOT NULL),
summary AS (
  SELECT source_id, job, lo, count(*) AS n, min(build_number) AS first_build, max(build_number) AS last_build,
         CASE max(${RANK}) WHEN 3 THEN 'HIGH' WHEN 2 THEN 'MEDIUM' ELSE 'LOW' END AS priority
  FROM members GROUP BY source_id, job, lo),
-- The delivery whose arrival gave a segment its threshold-th paging build: the one that opens its
-- incident, whose silence it takes (one by one, it is the delivery being stored).
opener AS (
  SELECT source_id, job, lo, seq
  FROM (SELECT source_id, job, lo, seq,
               row_number() OVER (PARTITION BY source_id, job, lo ORDER BY seq, build_number) AS arrived
        FROM (SELECT m.source_id, m.job, m.lo, m.build_number, ${arrivalSeq("m")} AS seq FROM members AS m)) AS x
  WHERE arrived = (SELECT max(coalesce(t.min_failures, 1), 1) FROM touched AS t WHERE t.source_id = x.source_id AND t.job = x.job))
INSERT INTO incidents (kind, source_id, source_name, job, job_display_name, branch, after_build, state,
                       priority, first_build, last_build, build_count, opened_at, resolved_at, resolved_by,
                       resolved_by_build, silenced, updated_at)
SELECT 'failure', s.source_id, t.source_name, s.job, t.job_display_name,
       (SELECT m.branch FROM members AS m WHERE ${sameJob("m", "s")} AND m.lo = s.lo AND m.build_number = summary.last_build),
       s.lo, CASE WHEN s.closed_by IS NULL THEN 'open' ELSE 'resolved' END,
       summary.priority, summary.first_build, summary.last_build, summary.n, t.stamp,
       CASE WHEN s.closed_by IS NOT NULL THEN t.stamp END,
       CASE WHEN s.closed_by IS NOT NULL THEN 'build' END,
       s.closed_by,
       coalesce((SELECT d.silenced FROM opener AS o JOIN delivery AS d ON d.seq = o.seq
                 WHERE ${sameJob("o", "s")} AND o.lo = s.lo AND d.phase_rank >= 3), t.silenced),
       t.stamp
FROM segments AS s
JOIN summary ON ${sameJob("summary", "s")} AND summary.lo = s.lo
JOIN touched AS t ON ${sameJob("t", "s")}
WHERE (summary.n >= t.min_failures AND NOT s.below_hand_resolved)
   OR EXISTS (SELECT 1 FROM incidents AS i WHERE ${sameJob("i", "s")} AND i.kind = 'failure' AND i.after_build = s.lo)
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
 * Links the paging builds of the recomputed segments to their incidents (none while a segment has too
 * few) and unlinks the rest.
 */
export const linkSegmentAlerts = (from: Deliveries) => `
WITH ${deliveryCtes(from)}, ${SEGMENTS}
UPDATE alerts SET incident_id = CASE WHEN incident_priority IS NULL THEN NULL ELSE
    (SELECT i.id FROM segments AS s CROSS JOIN incidents AS i
     WHERE ${sameJob("s", "alerts")} AND alerts.build_number > s.lo AND alerts.build_number <= s.hi
       AND ${sameJob("i", "s")} AND i.kind = 'failure' AND i.after_build = s.lo) END
WHERE id IN (
  SELECT a.id FROM segments AS s CROSS JOIN alerts AS a
  WHERE ${sameJob("a", "s")} AND a.build_number > s.lo AND a.build_number <= s.hi
    AND (a.incident_priority IS NOT NULL OR a.incident_id IS NOT NULL)
    -- Only the alerts whose link changes: a streak's builds are not rewritten by each new one (D1
    -- bills rows written; Free allows 100,000 a day).
    AND a.incident_id IS NOT (CASE WHEN a.incident_priority IS NULL THEN NULL ELSE
      (SELECT i.id FROM incidents AS i WHERE ${sameJob("i", "s")} AND i.kind = 'failure' AND i.after_build = s.lo) END))`;

/**
 * Before the segments are recomputed: the incident of the segment a new green build falls in moves up
 * to it when all of its builds are above the green (the green arrived late, below them), so the
 * incident keeps its identity instead of being resolved empty and opened again. Of several new greens
 * below one incident, the highest: the segment's lower fence is computed without the write's own
 * greens, as if each had come one at a time, lowest first.
 */
export const moveIncidentsAboveGreens = (from: Deliveries) => `
WITH ${deliveryCtes(from)},
greens AS MATERIALIZED (
  SELECT d.source_id, d.job, d.build_number FROM delivery AS d
  WHERE d.kind = 'RESOLVE' AND NOT ${handResolvedAround("d", "d.build_number")}),
moves AS MATERIALIZED (
  SELECT i.id, max(n.build_number) AS to_build
  FROM greens AS n CROSS JOIN incidents AS i
  WHERE ${sameJob("i", "n")} AND i.kind = 'failure' AND i.fence_build IS NULL
    AND i.after_build < n.build_number AND i.first_build > n.build_number
    AND i.after_build = ${lowerFence("n", "n.build_number", `EXISTS (SELECT 1 FROM greens AS o WHERE ${sameJob("o", "g")} AND o.build_number = g.build_number)`)}
  GROUP BY i.id)
UPDATE OR IGNORE incidents SET after_build = (SELECT to_build FROM moves WHERE moves.id = incidents.id),
  updated_at = ${WRITE_STAMP}
WHERE id IN (SELECT id FROM moves)`;
