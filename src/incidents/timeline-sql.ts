/**
 * Incident timelines, kept by ingest after the statements of ./sql.ts recomputed the
 * delivery's segments, in the same batch (bound by ../ingest/store.ts). The timeline is read from the
 * incidents the delivery touched, so that, for every failure incident:
 * - its `opened` and `joined` entries name its builds (the alerts linked to it), each once;
 * - its `resolved` entry, when a build resolved it, names `resolved_by_build`.
 * A green build that arrives late (builds run concurrently: a lower number can finish later) changes
 * both after the fact: it resolves an incident sooner (a lower resolver) and moves the builds above
 * it to the next segment. The timeline is also the notification outbox (docs/notifications.md), so:
 * - a `joined` entry is never notified: one whose build left is deleted ({@link PRUNE_TIMELINE});
 * - `opened` and `resolved` may have been: they are corrected in place, never deleted, keeping their
 *   id, time and routing, with a note saying what they first named. A notification not sent yet
 *   says what the incident says when it is sent; one already sent is not sent again (one per
 *   incident, event and destination), as the incident's state did not change.
 */
import { IS_NEW, P } from "../core/delivery-params";

const JOB = `source_id = ${P("source_id")} AND job = ${P("job")}`;

/** The incidents this delivery touched (updated_at is the delivery's time): the job's and the source's. */
const TOUCHED = `
touched AS MATERIALIZED (
  SELECT * FROM incidents WHERE ${JOB} AND updated_at = ${P("received_at")}
  UNION ALL
  SELECT * FROM incidents WHERE source_id = ${P("source_id")} AND job IS NULL AND updated_at = ${P("received_at")})`;

/** Whether `build` of the delivery's job is one of `incident`'s builds (the unique alert index). */
const isMember = (incident: string, build: string) =>
  `EXISTS (SELECT 1 FROM alerts WHERE ${JOB} AND build_number = ${build} AND incident_id = ${incident})`;

/**
 * Each touched incident's `opened` entry (`entry` NULL: none yet), what it names now (`was`) and what
 * it is to name: the same build while that is still one of the incident's, else its last build.
 */
const OPENED = `
opened AS MATERIALIZED (
  SELECT t.id AS incident_id, t.kind, e.id AS entry, e.build_number AS was, e.note,
         CASE WHEN e.id IS NOT NULL AND (t.kind != 'failure' OR ${isMember("t.id", "e.build_number")})
              THEN e.build_number ELSE t.last_build END AS build
  FROM touched AS t LEFT JOIN incident_events AS e ON e.incident_id = t.id AND e.type = 'opened')`;

/**
 * The builds whose entries this delivery checks: its own build, and all of an incident's builds when
 * they may have changed otherwise (the incident opens now, with the builds before the one that made
 * it page; or a green build moved builds between incidents). A plain failing build reads one row.
 * CROSS JOIN keeps the incidents as the outer loop: the planner, without statistics, would otherwise
 * walk every linked alert.
 */
const MEMBERS = `
members AS MATERIALIZED (
  SELECT a.incident_id, a.build_number FROM touched AS t CROSS JOIN alerts AS a
  WHERE a.source_id = t.source_id AND a.job = t.job AND a.build_number = ${P("build_number")} AND a.incident_id = t.id
  UNION
  SELECT a.incident_id, a.build_number FROM opened AS o CROSS JOIN alerts AS a INDEXED BY alerts_by_incident
  WHERE a.incident_id = o.incident_id AND o.kind = 'failure' AND (o.entry IS NULL OR ${P("kind")} = 'RESOLVE'))`;

const hasEvent = (condition: string) =>
  `EXISTS (SELECT 1 FROM incident_events e WHERE e.incident_id = touched.id AND ${condition})`;
const LAST_STATE_EVENT = `(SELECT type FROM incident_events e
  WHERE e.incident_id = touched.id AND e.type IN ('opened', 'acknowledged', 'resolved')
  ORDER BY e.id DESC LIMIT 1)`;

/**
 * Before {@link SYNC_TIMELINE}, in a green build's delivery (the only one that moves builds between
 * incidents): deletes the `joined` entries of the touched failure incidents whose build is no longer
 * theirs, and the one of the build their corrected `opened` entry is about to name.
 */
export const PRUNE_TIMELINE = `
DELETE FROM incident_events
WHERE type = 'joined'
  AND incident_id IN (SELECT id FROM incidents WHERE ${JOB} AND kind = 'failure' AND updated_at = ${P("received_at")})
  AND (NOT ${isMember("incident_events.incident_id", "incident_events.build_number")}
       OR EXISTS (SELECT 1 FROM incident_events AS o JOIN incidents AS t ON t.id = o.incident_id
                  WHERE o.incident_id = incident_events.incident_id AND o.type = 'opened'
                    AND t.last_build = incident_events.build_number
                    AND NOT ${isMember("o.incident_id", "o.build_number")}))
  AND ${IS_NEW}`;

/** The touched incident's `resolved` entry by a build, if any (a resolved incident never reopens). */
const RESOLVED_ENTRY = `(SELECT e.id FROM incident_events e
  WHERE e.incident_id = touched.id AND e.type = 'resolved' AND e.by = 'build')`;

/**
 * The timeline of what the delivery's statements did to incidents: opened (by its last build), joined
 * by each of its other builds, silenced at opening, resolved; and the corrections a late green build
 * calls for (see above). Each entry is written once however often the same facts are seen again. The
 * statement reads the timeline as it was before it, so a newly opened incident gets `opened`, not
 * `joined`, for the build that opened it. It returns the entries it wrote or corrected: the outbox of
 * notifications ({@link enqueueEntries}; routing an entry already routed does nothing). Four terms:
 * D1 refuses a compound SELECT of more than five.
 */
export const SYNC_TIMELINE = `
WITH ${TOUCHED}, ${OPENED}, ${MEMBERS}
INSERT INTO incident_events (id, incident_id, type, at, build_number, by, note)
SELECT opened.entry, touched.id, 'opened', touched.opened_at, opened.build,
       CASE touched.kind WHEN 'failure' THEN 'build' ELSE 'heartbeat' END,
       CASE WHEN opened.entry IS NOT NULL THEN coalesce(opened.note,
         'first opened by build #' || opened.was || ', which a green build arriving later moved out') END
FROM touched JOIN opened ON opened.incident_id = touched.id
WHERE opened.entry IS NULL OR (touched.kind = 'failure' AND opened.build IS NOT opened.was)
UNION ALL
SELECT NULL, id, 'silenced', opened_at, NULL, NULL, NULL
FROM touched WHERE silenced = 1 AND NOT ${hasEvent("e.type IN ('silenced', 'unsilenced')")}
UNION ALL
SELECT NULL, members.incident_id, 'joined', ${P("received_at")}, members.build_number, 'build', NULL
FROM members JOIN opened ON opened.incident_id = members.incident_id
WHERE members.build_number IS NOT opened.build
  AND NOT EXISTS (SELECT 1 FROM incident_events e WHERE e.incident_id = members.incident_id
                  AND e.type = 'joined' AND e.build_number = members.build_number)
UNION ALL
SELECT resolved.id, touched.id, 'resolved', touched.resolved_at, touched.resolved_by_build, touched.resolved_by,
       CASE WHEN resolved.id IS NOT NULL THEN coalesce(resolved.note,
         'first resolved by build #' || resolved.build_number || ', before a lower green build arrived') END
FROM touched LEFT JOIN incident_events AS resolved ON resolved.id = ${RESOLVED_ENTRY}
WHERE touched.state = 'resolved'
  AND (coalesce(${LAST_STATE_EVENT}, '') != 'resolved'
       OR (touched.kind = 'failure' AND touched.resolved_by = 'build' AND resolved.id IS NOT NULL
           AND resolved.build_number IS NOT touched.resolved_by_build))
ON CONFLICT (id) DO UPDATE SET build_number = excluded.build_number, note = excluded.note
RETURNING id, type`;
