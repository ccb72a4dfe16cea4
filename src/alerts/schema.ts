/**
 * The alert listing's query fields, shared by `GET /api/alerts` (which refuses a bad value with 400)
 * and the dashboard's alerts page (which leaves a bad value out).
 */
import * as v from "valibot";
import { AlertStateSchema, KindSchema, PHASES, PrioritySchema } from "../core/vocabulary";

export const AlertFilterFields = {
  job: v.pipe(v.string(), v.maxLength(4096, "at most 4096 characters")),
  kind: KindSchema,
  priority: PrioritySchema,
  phase: v.picklist(PHASES, `expected one of ${PHASES.join(", ")}`),
  state: AlertStateSchema,
  source_id: v.pipe(v.string(), v.maxLength(64, "at most 64 characters")),
};
