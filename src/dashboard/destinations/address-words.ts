/**
 * How the pages name where a destination sends: a Slack app by its channel ID (its bot token is never
 * shown), every other destination by its URL's scheme and host (never more of it).
 */
import type { Destination } from "../../notify/destinations/store";
import { KIND_WORDS } from "./destination-form";

/** Where a destination sends, in words for the list and the answer pages. */
export interface AddressWords {
  /** "Slack app" for one that posts with a bot token; else its kind's title ("Slack", "Webhook"). */
  title: string;
  /** "channel C0123ABCD", or the URL's scheme and host. */
  where: string;
  /** What is stored encrypted and never shown again. */
  secret: "bot token" | "URL";
}

/** {@link AddressWords} of `destination`. */
export function addressWords(
  destination: Pick<Destination, "kind" | "url_display" | "slack_channel">,
): AddressWords {
  const { kind, url_display, slack_channel } = destination;
  return slack_channel === null
    ? { title: KIND_WORDS[kind].title, where: url_display, secret: "URL" }
    : { title: "Slack app", where: `channel ${slack_channel}`, secret: "bot token" };
}
