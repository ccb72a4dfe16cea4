/**
 * The audit listing's query fields, shared by `GET /api/audit` (which refuses a bad value with 400) and
 * the dashboard's audit page (which leaves a bad value out).
 */
import * as v from "valibot";
import { AUDIT_ACTIONS } from "./entry";

/** An instant, normalized to `toISOString()` form, so comparing it with `at` as text compares instants. */
const Instant = v.pipe(
  v.string(),
  v.isoTimestamp("expected an ISO 8601 timestamp, such as 2026-12-01T00:00:00Z"),
  v.transform((value) => new Date(value).toISOString()),
);

export const AuditFilterFields = {
  actor: v.pipe(v.string(), v.maxLength(320, "at most 320 characters")),
  action: v.picklist(AUDIT_ACTIONS, `expected one of ${AUDIT_ACTIONS.join(", ")}`),
  target: v.pipe(v.string(), v.maxLength(400, "at most 400 characters")),
  from: Instant,
  to: Instant,
};
