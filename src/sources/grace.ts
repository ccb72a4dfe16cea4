/**
 * Rotation grace periods: how long a rotated-out token keeps working. A number and a unit ("30m",
 * "24h", "7d"; "0" or "0s" for none), at most 7 days, parsed into milliseconds at the edge.
 */
import * as v from "valibot";
import { durationMs, UNIT_MS } from "../platform/duration";

export const MAX_GRACE_MS = 7 * UNIT_MS.d;
export const DEFAULT_GRACE = "24h";

const DURATION_MESSAGE = 'expected a duration such as "30m", "24h" or "7d" ("0s" for none)';

/** A grace period, in milliseconds. */
export const GraceSchema = v.pipe(
  v.string("expected a string"),
  v.regex(/^(0|\d{1,7}[smhd])$/, DURATION_MESSAGE),
  v.transform((grace) => (grace === "0" ? 0 : durationMs(grace))),
  v.maxValue(MAX_GRACE_MS, "at most 7 days"),
);

/** The body of `POST /api/sources/:id/rotate`; no body at all means the default grace. */
export const RotationSchema = v.strictObject({ grace: v.optional(GraceSchema, DEFAULT_GRACE) });
export type Rotation = v.InferOutput<typeof RotationSchema>;
