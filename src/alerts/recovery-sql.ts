/**
 * Recoveries: a green build resolves the earlier finished builds of its job (built by ../ingest/store.ts).
 * One statement per write, on the jobs its new deliveries touched (`touched`, ../core/delivery-params.ts),
 * after every alert of the write was folded: the outcome is the rule below applied to the job's alerts,
 * whichever order and grouping the deliveries came in.
 */
import { type Deliveries, deliveryCtes, WRITE_STAMP } from "../core/delivery-params";

/**
 * Recoveries: an open or stale alert of this job whose build has finished is resolved by the
 * lowest-numbered later build of the job that finalized green, provided it finished no later than
 * that build did (Jenkins' clock). Builds still running are left alone.
 *
 * A build's `finished_ts` is its COMPLETED time, or its FINALIZED time while only that has come (an
 * endpoint set to `finalized` or `failed` never sends COMPLETED). It only ever goes down, so a
 * recovery made while a FINALIZED stood in for a COMPLETED is provisional: {@link recoverAlerts} makes
 * it again when the COMPLETED comes.
 */
const GREEN_SUCCESSOR = `
  FROM alerts AS green
  WHERE green.source_id = alerts.source_id AND green.job = alerts.job
    AND green.build_number > alerts.build_number AND green.kind = 'RESOLVE'
    AND green.finished_ts >= coalesce(alerts.finished_ts, 0)`;

/**
 * Recoveries made from the rule above, once per write, for every alert whose answer the write may
 * have changed:
 * - every open or stale alert of a touched job whose build has finished and that now has a green
 *   successor: every new event may complete a recovery (a late COMPLETED, a late green, a stale alert
 *   revived), and it is resolved at the write's stamp;
 * - a new green FINALIZED takes over what a later green build resolved that it resolves too (it is
 *   the lowest later green), so attribution does not depend on arrival order either (it compares the
 *   green build's stored finish time, its COMPLETED time when that came first);
 * - a new finished event that is not a green FINALIZED (a COMPLETED, most often after its FINALIZED)
 *   may have lowered its build's `finished_ts`, so the outcome is the one the COMPLETED times give: the
 *   build as the green one (what it resolved that finished after it goes to the lowest later green
 *   that finished no earlier, or back to open if there is none: the only case where a resolved alert
 *   reopens, as it was resolved on the FINALIZED's time, later than the build finished), and the build
 *   as the recovered one.
 * Builds that resolved themselves (their own FINALIZED SUCCESS) are left alone. INDEXED BY: the
 * planner, without statistics, may otherwise walk the job's whole history through the unique index.
 */
export const recoverAlerts = (from: Deliveries) => `
WITH ${deliveryCtes(from)},
finished AS (SELECT source_id, job, build_number, kind FROM delivery WHERE phase_rank >= 3)
UPDATE alerts
SET resolved_by_build = (SELECT green.build_number ${GREEN_SUCCESSOR} ORDER BY green.build_number LIMIT 1),
    state = CASE WHEN EXISTS (SELECT 1 ${GREEN_SUCCESSOR}) THEN 'resolved' ELSE 'open' END,
    resolved_at = CASE WHEN NOT EXISTS (SELECT 1 ${GREEN_SUCCESSOR}) THEN NULL
                       WHEN state = 'resolved' THEN resolved_at
                       ELSE ${WRITE_STAMP} END
WHERE id IN (
    SELECT a.id FROM touched AS t CROSS JOIN alerts AS a INDEXED BY alerts_unresolved_by_job
    WHERE a.source_id = t.source_id AND a.job = t.job AND a.state IN ('open', 'stale') AND a.phase_rank >= 3
      AND EXISTS (SELECT 1 FROM alerts AS green
                  WHERE green.source_id = a.source_id AND green.job = a.job
                    AND green.build_number > a.build_number AND green.kind = 'RESOLVE'
                    AND green.finished_ts >= coalesce(a.finished_ts, 0))
    UNION ALL
    SELECT a.id FROM finished AS f CROSS JOIN alerts AS a
    WHERE f.kind != 'RESOLVE' AND a.source_id = f.source_id AND a.job = f.job AND a.build_number = f.build_number
      AND a.state = 'resolved' AND a.resolved_by_build > a.build_number
    UNION ALL
    SELECT a.id FROM finished AS f CROSS JOIN alerts AS a INDEXED BY alerts_by_resolver
    WHERE f.kind != 'RESOLVE' AND a.source_id = f.source_id AND a.job = f.job AND a.state = 'resolved'
      AND a.resolved_by_build = f.build_number AND a.resolved_by_build > a.build_number
    UNION ALL
    SELECT a.id FROM finished AS f CROSS JOIN alerts AS a INDEXED BY alerts_by_resolver
    WHERE f.kind = 'RESOLVE' AND a.source_id = f.source_id AND a.job = f.job AND a.state = 'resolved'
      AND a.resolved_by_build > f.build_number AND a.build_number < f.build_number)`;
