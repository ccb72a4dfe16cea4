/**
 * Incident timelines, kept by ingest after the statements of ./sql.ts recomputed the
 * write's segments, in the same batch (built by ../ingest/store.ts). The timeline is read from the
 * incidents the write touched, so that, for every failure incident:
 * - its `opened` and `joined` entries name its builds (the alerts linked to it), each once;
 * - its `resolved` entry, when a build resolved it, names `resolved_by_build`.
 * A green build that arrives late (builds run concurrently: a lower number can finish later) changes
 * both after the fact: it resolves an incident sooner (a lower resolver) and moves the builds above
 * it to the next segment. The timeline is also the notification outbox (docs/notifications.md), so:
 * - a `joined` entry is never notified: one whose build left is deleted ({@link pruneTimeline});
 * - `opened` and `resolved` may have been: they are corrected in place, never deleted, keeping their
 *   id, time and routing, with a note saying what they first named. A notification not sent yet
 *   says what the incident says when it is sent; one already sent is not sent again (one per
 *   incident, event and destination), as the incident's state did not change.
 */
import { type Deliveries, deliveryCtes, WRITE_STAMP } from "../core/delivery-params";
import { arrivalSeq } from "./sql";

/**
 * The incidents the write touched (updated_at is its stamp): the touched jobs' and their sources'.
 * CROSS JOIN keeps the touched jobs as the outer loop (the index incidents_touched).
 */
const TOUCHED_INCIDENTS = `
changed AS MATERIALIZED (
  SELECT i.* FROM touched AS t CROSS JOIN incidents AS i
  WHERE i.source_id = t.source_id AND i.job = t.job AND i.updated_at = t.stamp
  UNION
  SELECT i.* FROM (SELECT DISTINCT source_id, stamp FROM touched) AS t CROSS JOIN incidents AS i
  WHERE i.source_id = t.source_id AND i.job IS NULL AND i.updated_at = t.stamp)`;

/** Whether `build` of `incident`'s job is one of its builds (the unique alert index). */
const isMember = (incident: string, build: string) =>
  `EXISTS (SELECT 1 FROM incidents AS mi CROSS JOIN alerts AS ma
    WHERE mi.id = ${incident} AND ma.source_id = mi.source_id AND ma.job = mi.job
      AND ma.build_number = ${build} AND ma.incident_id = mi.id)`;

/**
 * The builds of each touched failure incident that has no `opened` entry yet (it opens in this
 * write), each with when it arrived ({@link arrivalSeq}).
 */
const ARRIVALS = `
arrivals AS MATERIALIZED (
  SELECT incident_id, build_number, seq,
         row_number() OVER (PARTITION BY incident_id ORDER BY seq, build_number) AS arrived
  FROM (SELECT a.incident_id, a.build_number,
               ${arrivalSeq("a")} AS seq
        FROM changed AS t CROSS JOIN alerts AS a INDEXED BY alerts_by_incident
        WHERE a.incident_id = t.id AND t.kind = 'failure'
          AND NOT EXISTS (SELECT 1 FROM incident_events AS e WHERE e.incident_id = t.id AND e.type = 'opened')))`;

/**
 * The build that opened failure incident `t`: the highest of its builds that had arrived when it had
 * enough of them (the threshold-th arrival), as when its deliveries are stored one at a time; NULL
 * when it has fewer.
 */
const OPENING_BUILD = `(
  SELECT max(x.build_number) FROM arrivals AS x
  WHERE x.incident_id = t.id AND x.seq <= (
    SELECT y.seq FROM arrivals AS y
    WHERE y.incident_id = t.id
      AND y.arrived = (SELECT max(coalesce(k.min_failures, 1), 1) FROM touched AS k
                       WHERE k.source_id = t.source_id AND k.job = t.job)))`;

/**
 * Each touched incident's `opened` entry (`entry` NULL: none yet), what it names now (`was`) and what
 * it is to name: the same build while that is still one of the incident's, else its last build; for a
 * failure incident opening now, the build that opened it.
 */
const OPENED = `
${ARRIVALS},
opened AS MATERIALIZED (
  SELECT t.id AS incident_id, t.kind, t.source_id, t.job, e.id AS entry, e.build_number AS was, e.note,
         CASE WHEN e.id IS NOT NULL AND (t.kind != 'failure' OR ${isMember("t.id", "e.build_number")})
              THEN e.build_number
              WHEN e.id IS NULL AND t.kind = 'failure' THEN coalesce(${OPENING_BUILD}, t.last_build)
              ELSE t.last_build END AS build
  FROM changed AS t LEFT JOIN incident_events AS e ON e.incident_id = t.id AND e.type = 'opened')`;

/**
 * The builds whose entries this write checks: its own builds, and all of an incident's builds when
 * they may have changed otherwise (the incident opens now, with the builds before the one that made
 * it page; or a green build moved builds between incidents). A plain failing build reads one row.
 * CROSS JOIN keeps the incidents as the outer loop: the planner, without statistics, would otherwise
 * walk every linked alert.
 */
const MEMBERS = `
members AS MATERIALIZED (
  SELECT a.incident_id, a.build_number FROM changed AS t CROSS JOIN delivery AS d CROSS JOIN alerts AS a
  WHERE d.source_id = t.source_id AND d.job = t.job
    AND a.source_id = t.source_id AND a.job = t.job AND a.build_number = d.build_number AND a.incident_id = t.id
  UNION
  SELECT a.incident_id, a.build_number FROM opened AS o CROSS JOIN alerts AS a INDEXED BY alerts_by_incident
  WHERE a.incident_id = o.incident_id AND o.kind = 'failure'
    AND (o.entry IS NULL OR EXISTS (SELECT 1 FROM touched AS t WHERE t.source_id = o.source_id AND t.job = o.job AND t.green)))`;

const hasEvent = (condition: string) =>
  `EXISTS (SELECT 1 FROM incident_events e WHERE e.incident_id = changed.id AND ${condition})`;
const LAST_STATE_EVENT = `(SELECT type FROM incident_events e
  WHERE e.incident_id = changed.id AND e.type IN ('opened', 'acknowledged', 'resolved')
  ORDER BY e.id DESC LIMIT 1)`;

/**
 * Before {@link syncTimeline}, in a write with a green build (the only kind that moves builds between
 * incidents): deletes the `joined` entries of the touched failure incidents of its jobs whose build is
 * no longer theirs, and the one of the build their corrected `opened` entry is about to name.
 */
export const pruneTimeline = (from: Deliveries) => `
WITH ${deliveryCtes(from)}
DELETE FROM incident_events
WHERE type = 'joined'
  AND incident_id IN (
    SELECT i.id FROM touched AS t CROSS JOIN incidents AS i
    WHERE t.green AND i.source_id = t.source_id AND i.job = t.job AND i.kind = 'failure' AND i.updated_at = t.stamp)
  AND (NOT ${isMember("incident_events.incident_id", "incident_events.build_number")}
       OR EXISTS (SELECT 1 FROM incident_events AS o JOIN incidents AS t ON t.id = o.incident_id
                  WHERE o.incident_id = incident_events.incident_id AND o.type = 'opened'
                    AND t.last_build = incident_events.build_number
                    AND NOT ${isMember("o.incident_id", "o.build_number")}))`;

/** The touched incident's `resolved` entry by a build, if any (a resolved incident never reopens). */
const RESOLVED_ENTRY = `(SELECT e.id FROM incident_events e
  WHERE e.incident_id = changed.id AND e.type = 'resolved' AND e.by = 'build')`;

/**
 * The timeline of what the write's statements did to incidents: opened (by its last build), joined
 * by each of its other builds, silenced at opening, resolved; and the corrections a late green build
 * calls for (see above). Each entry is written once however often the same facts are seen again. The
 * statement reads the timeline as it was before it, so a newly opened incident gets `opened`, not
 * `joined`, for the build that opened it. It returns the entries it wrote or corrected: the outbox of
 * notifications ({@link enqueueEntries}; routing an entry already routed does nothing). Four terms:
 * D1 refuses a compound SELECT of more than five.
 */
export const syncTimeline = (from: Deliveries) => `
WITH ${deliveryCtes(from)}, ${TOUCHED_INCIDENTS}, ${OPENED}, ${MEMBERS}
INSERT INTO incident_events (id, incident_id, type, at, build_number, by, note)
SELECT opened.entry, changed.id, 'opened', changed.opened_at, opened.build,
       CASE changed.kind WHEN 'failure' THEN 'build' ELSE 'heartbeat' END,
       CASE WHEN opened.entry IS NOT NULL THEN coalesce(opened.note,
         'first opened by build #' || opened.was || ', which a green build arriving later moved out') END
FROM changed JOIN opened ON opened.incident_id = changed.id
WHERE opened.entry IS NULL OR (changed.kind = 'failure' AND opened.build IS NOT opened.was)
UNION ALL
SELECT NULL, id, 'silenced', opened_at, NULL, NULL, NULL
FROM changed WHERE silenced = 1 AND NOT ${hasEvent("e.type IN ('silenced', 'unsilenced')")}
UNION ALL
SELECT NULL, members.incident_id, 'joined', ${WRITE_STAMP}, members.build_number, 'build', NULL
FROM members JOIN opened ON opened.incident_id = members.incident_id
WHERE members.build_number IS NOT opened.build
  AND NOT EXISTS (SELECT 1 FROM incident_events e WHERE e.incident_id = members.incident_id
                  AND e.type = 'joined' AND e.build_number = members.build_number)
UNION ALL
SELECT resolved.id, changed.id, 'resolved', changed.resolved_at, changed.resolved_by_build, changed.resolved_by,
       CASE WHEN resolved.id IS NOT NULL THEN coalesce(resolved.note,
         'first resolved by build #' || resolved.build_number || ', before a lower green build arrived') END
FROM changed LEFT JOIN incident_events AS resolved ON resolved.id = ${RESOLVED_ENTRY}
WHERE changed.state = 'resolved'
  AND (coalesce(${LAST_STATE_EVENT}, '') != 'resolved'
       OR (changed.kind = 'failure' AND changed.resolved_by = 'build' AND resolved.id IS NOT NULL
           AND resolved.build_number IS NOT changed.resolved_by_build))
ON CONFLICT (id) DO UPDATE SET build_number = excluded.build_number, note = excluded.note
RETURNING id, type`;
