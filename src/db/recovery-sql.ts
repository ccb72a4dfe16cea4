/** Recoveries: a green build resolves the earlier finished builds of its job (bound by ./ingest.ts). */
import { IS_NEW, P } from "./delivery-params";

/**
 * Recoveries (INDEXED BY: the planner, without statistics, may otherwise walk the job's whole
 * history through the unique index): an open or stale alert of this job whose build has finished is resolved by the
 * lowest-numbered later build of the job that finalized green, provided it finished no later than
 * that build did (Jenkins' clock). Runs for every new event of the job, so the outcome does not
 * depend on which of the two arrived first; builds still running are left alone.
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
 * order either. Only bound for a FINALIZED SUCCESS event.
 */
export const REATTRIBUTE_RECOVERIES = `
UPDATE alerts INDEXED BY alerts_by_resolver SET resolved_by_build = ${P("build_number")}
WHERE source_id = ${P("source_id")} AND job = ${P("job")} AND resolved_by_build > ${P("build_number")} AND build_number < ${P("build_number")}
  AND state = 'resolved' AND coalesce(finished_ts, 0) <= ${P("finished_ts")}
  AND ${IS_NEW}`;
