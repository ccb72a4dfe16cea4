/**
 * What silences do to incidents. `applySilences` brings every unresolved incident's `silenced` flag in
 * line with the silences in force at `now` and writes each change to its timeline (`silenced`, by
 * "silence #<id>", with the silence's comment; `unsilenced`), all in one D1 batch of at most five
 * statements (the four writes and the cron's cursor): the cron trigger runs it every 5 minutes, and
 * the API and the dashboard right after a silence is created or ended. (What ingest asks when it opens
 * an incident: {@link silencesFor}.)
 */
import { branchName } from "../core/branch";
import { jobLabel } from "../core/job";
import { readCursor, writeCursor } from "../platform/db/cron-cursors";
import { isSilencing, type SilenceTarget, silencing } from "./rules";
import { silencesInForce } from "./store";

/** Open incidents read per query (id order, keyset). */
const READ_ROWS = 1000;
/** Changes written per run: the rest waits for the next run (the batch's JSON stays small). */
const MAX_CHANGES = 1000;
/**
 * The work one run may do: incidents looked at, and incident × active silence pairs matched (each a
 * glob match or two). Past either, the run stops and the next one goes on from where it stopped.
 */
export const MAX_EXAMINED = 5000;
const MAX_PAIRS = 250_000;
/** The most D1 queries a run needs beyond its reads: the silences, the cursor, four writes, the cursor again. */
const MIN_SILENCE_QUERIES = 8;
const CURSOR = "silences";

/** How many incidents a run looks at with `active` silences in force (at least one read's worth). */
const examinable = (active: number) =>
  Math.min(MAX_EXAMINED, Math.max(100, Math.floor(MAX_PAIRS / Math.max(1, active))));

interface OpenIncidentRow {
  id: number;
  source_id: string;
  job: string | null;
  branch: string | null;
  silenced: number;
}

/**
 * An incident as silences match it: the job path as displayed, the branch name without its remote
 * prefix (docs/incidents.md "Silences"), as policies see them. Ingest passes the same for a new incident.
 */
export const silenceTarget = (row: Pick<OpenIncidentRow, "source_id" | "job" | "branch">): SilenceTarget => ({
  sourceId: row.source_id,
  jobPath: row.job === null ? null : jobLabel(row.job),
  branch: branchName(row.branch),
});

export interface SilencesApplied {
  /** D1 queries spent (batch statements counted one by one). */
  queries: number;
  silenced: number;
  unsilenced: number;
  /** Incidents looked at. */
  examined: number;
  /**
   * True when this run looked at every unresolved incident; false when the budget, MAX_CHANGES or the
   * run's share of work (MAX_EXAMINED) stopped it, or it began where the last run stopped.
   */
  complete: boolean;
}

// Written only where the incident is still as it was read, so a run that races ingest or another
// run changes nothing twice and writes no timeline row for a change it did not make. The timeline
// rows go first: their condition reads the flag before the UPDATE changes it.
const SILENCE_EVENTS = `INSERT INTO incident_events (incident_id, type, at, by, note)
  SELECT i.id, 'silenced', ?2, 'silence #' || s.id, s.comment
  FROM json_each(?1) AS j
  JOIN incidents AS i ON i.id = json_extract(j.value, '$[0]')
  JOIN silences AS s ON s.id = json_extract(j.value, '$[1]')
  WHERE i.silenced = 0 AND i.state != 'resolved'`;
const SILENCE = `UPDATE incidents SET silenced = 1, updated_at = ?2
  WHERE id IN (SELECT json_extract(value, '$[0]') FROM json_each(?1)) AND silenced = 0 AND state != 'resolved'`;
const UNSILENCE_EVENTS = `INSERT INTO incident_events (incident_id, type, at, by, note)
  SELECT id, 'unsilenced', ?2, NULL, NULL FROM incidents
  WHERE id IN (SELECT value FROM json_each(?1)) AND silenced = 1 AND state != 'resolved'`;
const UNSILENCE = `UPDATE incidents SET silenced = 0, updated_at = ?2
  WHERE id IN (SELECT value FROM json_each(?1)) AND silenced = 1 AND state != 'resolved'`;

/**
 * Sets `silenced` on every open or acknowledged incident that an active silence matches and clears it
 * on every other one, within `budget` D1 queries (nothing at all below MIN_SILENCE_QUERIES) and a
 * bounded share of work. `from: "start"` (a silence just created or ended) looks from the first
 * incident on; `"cursor"` (the cron trigger) from where the last run stopped, so a run that cannot see
 * every incident leaves the rest to the next one rather than starting over.
 */
export async function applySilences(
  env: Pick<Env, "DB">,
  now: Date,
  budget = Number.POSITIVE_INFINITY,
  from: "start" | "cursor" = "start",
): Promise<SilencesApplied> {
  const applied: SilencesApplied = { queries: 0, silenced: 0, unsilenced: 0, examined: 0, complete: false };
  if (budget < MIN_SILENCE_QUERIES) return applied;
  const active = (await silencesInForce(env.DB, now, { begun: true })).filter((s) => isSilencing(s, now));
  applied.queries += 1;
  const stored = from === "cursor" ? await readCursor(env.DB, CURSOR) : 0;
  if (from === "cursor") applied.queries += 1;

  const toSilence: [number, number][] = [];
  const toUnsilence: number[] = [];
  const limit = examinable(active.length);
  let after = stored;
  let reachedEnd = false;
  while (
    applied.queries + 1 + 5 <= budget &&
    toSilence.length + toUnsilence.length < MAX_CHANGES &&
    applied.examined < limit
  ) {
    const rows = Math.min(READ_ROWS, limit - applied.examined);
    const { results } = await env.DB.prepare(
      `SELECT id, source_id, job, branch, silenced FROM incidents
       WHERE state IN ('open', 'acknowledged') AND id > ?1 ORDER BY id LIMIT ?2`,
    )
      .bind(after, rows)
      .all<OpenIncidentRow>();
    applied.queries += 1;
    applied.examined += results.length;
    for (const row of results) {
      const by = silencing(active, silenceTarget(row), now);
      if (by && row.silenced === 0) toSilence.push([row.id, by.id]);
      if (!by && row.silenced === 1) toUnsilence.push(row.id);
    }
    after = results.at(-1)?.id ?? after;
    if (results.length < rows) {
      reachedEnd = true;
      break;
    }
  }
  applied.complete = reachedEnd && stored === 0;
  // The next run starts over once this one saw the last incident, else where this one stopped.
  const next = reachedEnd ? 0 : after;

  const at = now.toISOString();
  const writes = [
    ...(toSilence.length ? [SILENCE_EVENTS, SILENCE].map((sql) => [sql, toSilence] as const) : []),
    ...(toUnsilence.length ? [UNSILENCE_EVENTS, UNSILENCE].map((sql) => [sql, toUnsilence] as const) : []),
  ].map(([sql, changes]) => env.DB.prepare(sql).bind(JSON.stringify(changes), at));
  const cursor = next !== stored ? [writeCursor(env.DB, CURSOR, next, at)] : [];
  if (writes.length || cursor.length) {
    const results = await env.DB.batch([...writes, ...cursor]);
    applied.queries += writes.length + cursor.length;
    // The UPDATEs' counts: what really changed, races with ingest or another run left out.
    const updates = results
      .slice(0, writes.length)
      .filter((_, i) => i % 2 === 1)
      .map((result) => result.meta.changes ?? 0);
    applied.silenced = toSilence.length ? (updates.shift() ?? 0) : 0;
    applied.unsilenced = toUnsilence.length ? (updates.shift() ?? 0) : 0;
  }
  if (writes.length || !applied.complete) {
    console.log(JSON.stringify({ event: "silences_applied", ...applied, at }));
  }
  return applied;
}
