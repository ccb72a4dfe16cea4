/**
 * What /api/destinations takes (valibot schemas, also the OpenAPI document's request bodies) and the
 * rules that span fields. How the API shows a destination: {@link toApiDestination}.
 */
import * as v from "valibot";
import {
  type DestinationKind,
  DestinationKindSchema,
  type NotifyEvent,
  NotifyEventSchema,
} from "../../core/vocabulary";
import { parseDuration } from "../../platform/duration";
import { PagingEntries } from "../../platform/http/paging";
import type { FieldProblem } from "../../platform/issues";
import { DestinationMatchSchema } from "./match";
import { MAX_DESTINATION_URL_LENGTH } from "./url";

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

const NameSchema = v.pipe(
  v.string("expected a name"),
  v.trim(),
  v.minLength(1, "expected a name"),
  v.maxLength(100, "at most 100 characters"),
);

/** Its shape only: the SSRF rules depend on ALLOW_PRIVATE_DESTINATIONS and are checked by the route. */
const UrlSchema = v.pipe(
  v.string("expected a URL"),
  v.maxLength(MAX_DESTINATION_URL_LENGTH, `at most ${MAX_DESTINATION_URL_LENGTH} characters`),
);

/** A Slack app's bot token: what the app's "OAuth & Permissions" page shows once it is installed. */
const BotTokenSchema = v.pipe(
  v.string("expected a bot token"),
  v.regex(/^xoxb-[A-Za-z0-9-]{1,250}$/, "expected a Slack bot token (xoxb-…)"),
);

/** A channel's ID, never its name: names change, and the slash command finds a channel's destinations by ID. */
const ChannelSchema = v.pipe(
  v.string("expected a channel ID"),
  v.regex(
    /^[CG][A-Z0-9]{2,20}$/,
    "expected the channel's ID (C0123ABCD, at the bottom of the channel's details), not its name",
  ),
);

export const DEFAULT_EVENTS: NotifyEvent[] = ["opened", "resolved"];

const EventsSchema = v.pipe(
  v.array(NotifyEventSchema),
  v.minLength(1, "expected at least one event"),
  v.transform((events) => [...new Set(events)]),
);

/** `"30m"`: at least a minute (escalations are looked for once a minute), at most 7 days; in ms. */
const EscalateAfterSchema = v.pipe(
  v.string("expected a duration"),
  v.regex(/^\d{1,9}[smhd]$/, 'expected a duration such as "30m", "2h" or "1d"'),
  v.transform((text) => parseDuration(text) ?? Number.POSITIVE_INFINITY),
  v.minValue(MINUTE_MS, "at least 1 minute"),
  v.maxValue(7 * DAY_MS, "at most 7 days"),
);

/** `url`, or for a Slack app `bot_token` and `channel` ({@link addressProblem} says which is missing). */
export const NewDestinationSchema = v.strictObject({
  name: NameSchema,
  kind: DestinationKindSchema,
  url: v.optional(UrlSchema),
  bot_token: v.optional(BotTokenSchema),
  channel: v.optional(ChannelSchema),
  match: v.optional(DestinationMatchSchema, {}),
  on: v.optional(EventsSchema, DEFAULT_EVENTS),
  escalate_after: v.optional(EscalateAfterSchema),
});

export const DestinationChangeSchema = v.strictObject({
  name: v.optional(NameSchema),
  url: v.optional(UrlSchema),
  bot_token: v.optional(BotTokenSchema),
  channel: v.optional(ChannelSchema),
  match: v.optional(DestinationMatchSchema),
  on: v.optional(EventsSchema),
  escalate_after: v.optional(v.nullable(EscalateAfterSchema)),
  disabled: v.optional(v.boolean("expected true or false")),
});

/** `GET /api/destinations`: paged like the other listings (`limit`, `cursor`), oldest first. */
export const DestinationListQuerySchema = v.object({ ...PagingEntries });

export const DestinationIdParamSchema = v.object({
  id: v.pipe(v.string(), v.regex(/^\d{1,15}$/, "expected a destination id"), v.transform(Number)),
});

/**
 * Where a destination sends, given once: a `url`, or for a Slack app (kind `slack`) both `bot_token` and
 * `channel`, never both forms. `app`: the destination being changed is a Slack app (undefined: a new one).
 */
export function addressProblem(
  kind: DestinationKind,
  given: { url?: string; bot_token?: string; channel?: string },
  app?: boolean,
): FieldProblem | undefined {
  const appField =
    given.bot_token !== undefined ? "bot_token" : given.channel !== undefined ? "channel" : null;
  if (appField !== null && kind !== "slack") {
    return { path: appField, message: 'is only for a Slack app destination (kind "slack")' };
  }
  if (app === false && appField !== null) {
    return {
      path: appField,
      message: "is only for a Slack app destination: this one posts to a webhook URL",
    };
  }
  if (given.url !== undefined && (app === true || appField !== null)) {
    return { path: "url", message: "a Slack app destination has no URL: it posts with bot_token to channel" };
  }
  if (app !== undefined || given.url !== undefined) return undefined;
  if (appField === null) return { path: "url", message: "expected a URL" };
  if (given.bot_token === undefined) return { path: "bot_token", message: "is required with channel" };
  if (given.channel === undefined) return { path: "channel", message: "is required with bot_token" };
  return undefined;
}

/** `escalated` needs `escalate_after`, and `escalate_after` means nothing without `escalated`. */
export function escalationProblem(fields: {
  on: readonly NotifyEvent[];
  escalate_after_ms: number | null;
}): FieldProblem | undefined {
  const escalates = fields.on.includes("escalated");
  if (escalates && fields.escalate_after_ms === null) {
    return { path: "escalate_after", message: 'is required when `on` includes "escalated"' };
  }
  if (!escalates && fields.escalate_after_ms !== null) {
    return { path: "escalate_after", message: 'has no effect unless `on` includes "escalated"' };
  }
  return undefined;
}

const UNITS = [
  ["d", DAY_MS],
  ["h", 60 * MINUTE_MS],
  ["m", MINUTE_MS],
  ["s", 1000],
] as const;

/** 1,800,000 → "30m": the largest unit that divides it (as `durationMs` reads it back). */
export function formatDuration(ms: number): string {
  const [unit, size] = UNITS.find(([, size]) => ms % size === 0) ?? ["s", 1000];
  return `${Math.round(ms / size)}${unit}`;
}
