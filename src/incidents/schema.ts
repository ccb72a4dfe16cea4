/** What the API and the dashboard accept about incidents: list filters, and who acts on one and why. */
import * as v from "valibot";
import { IncidentKindSchema, IncidentStateSchema, PrioritySchema } from "../core/vocabulary";
import { PagingEntries } from "../platform/http/paging";

export const IncidentListQuerySchema = v.object({
  state: v.optional(IncidentStateSchema),
  kind: v.optional(IncidentKindSchema),
  source_id: v.optional(v.pipe(v.string(), v.maxLength(64, "at most 64 characters"))),
  job: v.optional(v.pipe(v.string(), v.maxLength(4096, "at most 4096 characters"))),
  priority: v.optional(PrioritySchema),
  ...PagingEntries,
});

/**
 * Why (optional), and `by`: a label still accepted for older clients, but no longer recorded; the timeline
 * and the audit log name the verified actor of the request.
 */
const RESERVED_NAMES = new Set(["build", "heartbeat"]);

export const IncidentActionSchema = v.strictObject({
  by: v.optional(
    v.pipe(
      v.string(),
      v.description("Accepted for compatibility and ignored: the verified identity is what is recorded."),
      v.trim(),
      v.minLength(1, "expected a name"),
      v.maxLength(100, "at most 100 characters"),
      // The names the timeline's own entries carry: nobody's action may read as the system's.
      v.check(
        (name) => !RESERVED_NAMES.has(name.toLowerCase()),
        "that word is how the timeline names the system",
      ),
    ),
  ),
  note: v.optional(v.pipe(v.string(), v.maxLength(1000, "at most 1000 characters"))),
});
