/**
 * The rules a new destination passes before it is stored, the same for the API and the dashboard: its
 * shape ({@link NewDestinationSchema}), one address ({@link addressProblem}), the SSRF rules for its URL
 * ({@link checkDestinationUrl}) and the escalation rule that spans two fields ({@link escalationProblem}). Pure.
 */
import type * as v from "valibot";
import type { FieldProblem } from "../../platform/issues";
import type { NewDestination } from "./actions";
import { addressProblem, escalationProblem, type NewDestinationSchema } from "./schema";
import { checkDestinationUrl } from "./url";
import { MAX_DESTINATIONS } from "./writes";

/** What both faces say when MAX_DESTINATIONS are stored already. */
export const TOO_MANY_DESTINATIONS = `There are ${MAX_DESTINATIONS} destinations already: delete one first.`;

/** The URL as the URL parser serialises it, once it passes the SSRF rules; else the `url` field's problem. */
export function checkedUrl(text: string, allowPrivate: boolean): { url: string } | { invalid: FieldProblem } {
  const verdict = checkDestinationUrl(text, allowPrivate);
  return verdict.ok ? { url: verdict.url.href } : { invalid: { path: "url", message: verdict.message } };
}

/**
 * A parsed {@link NewDestinationSchema} body checked against the address rules (a URL, or a Slack app's
 * token and channel), the SSRF rules and the escalation rule.
 */
export function checkNewDestination(
  input: v.InferOutput<typeof NewDestinationSchema>,
  allowPrivate: boolean,
): { ok: NewDestination } | { invalid: FieldProblem } {
  const { escalate_after, url: givenUrl, bot_token, channel, ...rest } = input;
  const wrongAddress = addressProblem(rest.kind, { url: givenUrl, bot_token, channel });
  if (wrongAddress) return { invalid: wrongAddress };
  const url = givenUrl === undefined ? null : checkedUrl(givenUrl, allowPrivate);
  if (url && "invalid" in url) return url;
  const escalate_after_ms = escalate_after ?? null;
  const invalid = escalationProblem({ on: rest.on, escalate_after_ms });
  if (invalid) return { invalid };
  const address = url
    ? { url: url.url, botToken: null, slack_channel: null }
    : {
        url: null,
        botToken: bot_token as string,
        slack_channel: channel as string,
      };
  return { ok: { ...rest, ...address, escalate_after_ms } };
}
