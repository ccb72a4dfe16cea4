/**
 * Recoveries: a green build resolves the earlier finished builds of its job (bound by ../ingest/store.ts).
 */
import { IS_NEW, P } from "../core/delivery-params";

/**
 * Recoveries (INDEXED BY: the planner, without statistics, may otherwise walk the job's whole
 * history through the unique index): an open or stale alert of this job whose build has finished is resolved by the
 * lowest-numbered later build of the job that finalized green, provided it finished no later than
 * that build did (Jenkins' clock). Runs for every new event of the job, so the outcome does not
 * depend on which of the two arrived first; builds still running are left alone.
 *
 * A build's `finished_ts` is its COMPLETED time, or its FINALIZED time while only that has come (an
 * endpoint set to `finalized` or `failed` never sends COMPLETED). It only ever goes down, so a
 * recovery made while a FINALIZED stood in for a COMPLETED is provisional: see {@link REVISE_RECOVERIES}.
 */
const GREEN_SUCCESSOR = `
  FROM alerts AS green
  WHERE green.source_id = alerts.source_id AND green.job = alerts.job
    AND green.build_number > alerts.build_number AND green.kind = 'RESOLVE'
    AND green.finished_ts >= coalesce(alerts.finished_ts, 0)`;

export const RESOLVE_RECOVERED = `
UPDATE alerts INDEXED BY alerts_unresolved_by_job
SET state = 'resolved', resolved_at = ${P("received_at")},
    resolved_by_build = (SELECT green.build_number ${GREEN_SUCCESSOR} ORDER BY green.build_number LIMIT 1)
WHERE source_id = ${P("source_id")} AND job = ${P("job")} AND state IN ('open', 'stale') AND phase_rank >= 3
  AND ${IS_NEW}
  AND EXISTS (SELECT 1 ${GREEN_SUCCESSOR})`;

/**
 * A green build that arrives after a later green one takes over the alerts that later one resolved
 * but it resolves too (it is the lowest later green), so attribution does not depend on arrival
 * order either. Only bound for a FINALIZED SUCCESS event. It compares the green build's stored
 * finish time (its COMPLETED time when that came first), not the FINALIZED's own timestamp.
 */
export const REATTRIBUTE_RECOVERIES = `
UPDATE alerts INDEXED BY alerts_by_resolver SET resolved_by_build = ${P("build_number")}
WHERE source_id = ${P("source_id")} AND job = ${P("job")} AND resolved_by_build > ${P("build_number")} AND build_number < ${P("build_number")}
  AND state = 'resolved'
  AND coalesce(finished_ts, 0) <= (SELECT g.finished_ts FROM alerts AS g
    WHERE g.source_id = ${P("source_id")} AND g.job = ${P("job")} AND g.build_number = ${P("build_number")})
  AND ${IS_NEW}`;

/**
 * A finished event that is not a green FINALIZED (a COMPLETED, most often after its FINALIZED) may
 * have lowered its build's `finished_ts`: the recoveries that depend on it are made again from the
 * rule, so the outcome is the one the COMPLETED times give, whatever came first.
 * - The build as the green one: what it resolved that finished after it goes to the lowest later
 *   green build that finished no earlier, or back to open if there is none (the only case where a
 *   resolved alert reopens: it was resolved on the FINALIZED's time, later than the build finished).
 * - The build as the recovered one: the lowest later green build that finished no earlier.
 * Builds that resolved themselves (their own FINALIZED SUCCESS) are left alone. Only bound for a
 * finished event other than FINALIZED SUCCESS.
 */
export const REVISE_RECOVERIES = `
UPDATE alerts
SET resolved_by_build = (SELECT green.build_number ${GREEN_SUCCESSOR} ORDER BY green.build_number LIMIT 1),
    state = CASE WHEN EXISTS (SELECT 1 ${GREEN_SUCCESSOR}) THEN 'resolved' ELSE 'open' END,
    resolved_at = CASE WHEN EXISTS (SELECT 1 ${GREEN_SUCCESSOR}) THEN resolved_at END
WHERE id IN (
    SELECT id FROM alerts WHERE source_id = ${P("source_id")} AND job = ${P("job")} AND build_number = ${P("build_number")}
    UNION ALL
    SELECT id FROM alerts INDEXED BY alerts_by_resolver
    WHERE source_id = ${P("source_id")} AND job = ${P("job")} AND state = 'resolved' AND resolved_by_build = ${P("build_number")})
  AND state = 'resolved' AND resolved_by_build > build_number
  AND ${IS_NEW}`;
