/**
 * What the admin API's destination routes answer, as valibot schemas for the OpenAPI document and
 * test/routes/api-answers.test.ts, like ./schemas.ts.
 */
import * as v from "valibot";
import {
  DestinationKindSchema,
  IncidentKindSchema,
  NotifyEventSchema,
  PrioritySchema,
} from "../core/vocabulary";
import { Integer, Timestamp } from "./schemas";

/** DestinationMatch (src/notify/destinations/match.ts): only the rules the destination was given. */
export const DestinationMatchAnswerSchema = v.object({
  source_id: v.optional(v.string()),
  job: v.optional(v.pipe(v.string(), v.description("A glob over the job path as displayed."))),
  branch: v.optional(v.pipe(v.string(), v.description("A glob over the branch."))),
  min_priority: v.optional(PrioritySchema),
  kinds: v.optional(v.array(IncidentKindSchema)),
});

/** {@link toApiDestination}. */
export const DestinationSchema = v.object({
  id: Integer,
  name: v.string(),
  kind: DestinationKindSchema,
  url_display: v.pipe(
    v.string(),
    v.description(
      "The URL's scheme and host only: the whole URL is never shown after creation (a Slack app: https://slack.com).",
    ),
  ),
  channel: v.pipe(
    v.nullable(v.string()),
    v.description(
      "A Slack app destination's channel ID; null for every other destination. Its bot token is never shown.",
    ),
  ),
  match: DestinationMatchAnswerSchema,
  on: v.array(NotifyEventSchema),
  escalate_after: v.pipe(
    v.nullable(v.string()),
    v.description('Such as "30m"; set when `on` has "escalated".'),
  ),
  disabled: v.boolean(),
  disabled_at: v.nullable(Timestamp),
  disabled_reason: v.pipe(
    v.nullable(v.string()),
    v.description(
      '"410 Gone" (from its receiver), "disabled by hand", or a Slack app\'s error ("Slack: channel_not_found").',
    ),
  ),
  unreadable: v.pipe(
    v.boolean(),
    v.description(
      "DESTINATIONS_KEY cannot decrypt its URL or secret (its key is gone, or the key under that id is wrong): its notifications wait for the key.",
    ),
  ),
  unreadable_reason: v.pipe(
    v.nullable(v.string()),
    v.description(
      'Why, naming the key id: `does not decrypt with key "k1"`, `key "k0" is not in DESTINATIONS_KEY`.',
    ),
  ),
  created_at: Timestamp,
  updated_at: Timestamp,
});

export const CreatedDestinationSchema = v.object({
  ...DestinationSchema.entries,
  secret: v.optional(
    v.pipe(
      v.string(),
      v.startsWith("whsec_"),
      v.description("webhook only: the Standard Webhooks signing secret, shown only in this answer."),
    ),
  ),
});

export const DestinationListSchema = v.object({
  destinations: v.array(DestinationSchema),
  next_cursor: v.pipe(
    v.nullable(v.string()),
    v.description("Pass as `cursor` for the next page; null on the last."),
  ),
});

export const DestinationTestSchema = v.object({
  status: v.pipe(v.nullable(Integer), v.description("The receiver's HTTP status; null when none came back.")),
  ok: v.pipe(v.boolean(), v.description("A 2xx status.")),
  error: v.pipe(
    v.nullable(v.picklist(["timeout", "network", "url-refused"])),
    v.description("Why there is no status; url-refused: the stored URL breaks the current SSRF rules."),
  ),
  duration_ms: v.pipe(
    Integer,
    v.description("From sending to the receiver's status (or the error). Its answer's body is never shown."),
  ),
});

export const ReencryptionSchema = v.object({
  reencrypted: v.pipe(Integer, v.description("Destinations now under the first key of DESTINATIONS_KEY.")),
  unreadable: v.pipe(
    v.array(Integer),
    v.description(
      "Destinations that do not decrypt (their key is gone, or the key under that id is wrong): left as they are.",
    ),
  ),
  remaining: v.pipe(Integer, v.description("Destinations still under an older key: call again.")),
});
