/**
 * The `/incidents` answer: ephemeral (only the person who asked sees it), one short line per incident the
 * channel hears about, each with the Acknowledge / Resolve buttons its state allows ({@link actionsBlock})
 * and its link on the dashboard. Everything an incident or a payload controls is `plain_text`, which
 * Slack never parses ({@link slackMessage} does the same); mrkdwn carries only our words and links. Pure.
 */

import type { UnresolvedIncident } from "../incidents/unresolved";
import { handActionsFor, KIND_LABELS, stateOf } from "../notify/content";
import { actionsBlock, listActionsBlock } from "../notify/slack/buttons";
import { escapeSlack, LIMITS, plain, slackLink } from "../notify/slack/message";
import { showDirectionControls } from "../platform/direction-controls";
import type { ChannelIncidents } from "./channel-incidents";

/** Block Kit's 50 blocks: the heading, two a listed incident (its line, its buttons), the "more" line. */
export const MAX_LISTED = Math.floor((LIMITS.blocks - 2) / 2);

/** Where the answer links to: an incident's page, and the dashboard's list; null without PUBLIC_URL. */
export interface ListLinks {
  incident: (id: number) => string | null;
  dashboard: string | null;
}

type Block = Record<string, unknown>;

const words = (text: string): Block => ({ type: "section", text: { type: "mrkdwn", text, verbatim: true } });

/** "2026-12-06 19:08 UTC": opened_at as a person reads it, whatever their client's zone. */
const when = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;

/** "#12 · HIGH · acme/api/main · acknowledged by ann@example.com · since 2026-12-06 19:08 UTC". */
export function incidentLine(incident: UnresolvedIncident): string {
  const about = incident.job_path ?? `source ${incident.source_name}`;
  const subject = incident.kind === "failure" ? about : `${KIND_LABELS[incident.kind]}: ${about}`;
  const parts = [`#${incident.id}`, incident.priority, subject, stateOf(incident)];
  if (incident.silenced) parts.push("silenced");
  return showDirectionControls(`${parts.join(" · ")} · since ${when(incident.opened_at)}`);
}

function incidentBlocks(incident: UnresolvedIncident, links: ListLinks): Block[] {
  const url = links.incident(incident.id);
  const line: Block = {
    type: "section",
    text: plain(incidentLine(incident), LIMITS.text),
    ...(url ? { fields: [{ type: "mrkdwn", text: slackLink(url, `Open incident #${incident.id}`) }] } : {}),
  };
  const buttons = actionsBlock(incident.id, handActionsFor(incident.state), listActionsBlock(incident.id));
  return buttons ? [line, buttons] : [line];
}

const answer = (text: string, blocks: Block[]) => ({
  response_type: "ephemeral",
  text: escapeSlack(text),
  blocks: blocks.slice(0, LIMITS.blocks),
});

/** The answer to `/incidents` in `channel` (an ID: letters and digits, safe in mrkdwn). */
export function incidentsAnswer(listing: ChannelIncidents, channel: string, links: ListLinks) {
  if (listing.destinations === 0) {
    const text =
      "No Slack app destination posts to this channel, so there is nothing to list here. An admin can add one: " +
      `a \`slack\` destination with the app's \`bot_token\` and \`"channel": "${channel}"\` ` +
      "(`POST /api/destinations`, see docs/slack.md), after inviting the app to this channel.";
    return answer(text, [words(text)]);
  }
  const { incidents, complete } = listing;
  if (incidents.length === 0) {
    const text = "Nothing to list: no incident this channel hears about is open or acknowledged.";
    return answer(text, [words(text)]);
  }
  const count = `${incidents.length} ${incidents.length === 1 ? "incident" : "incidents"}`;
  const heading = `${count} not yet resolved in this channel, highest priority first.`;
  const blocks = [words(heading), ...incidents.slice(0, MAX_LISTED).flatMap((i) => incidentBlocks(i, links))];
  const more = incidents.length - MAX_LISTED;
  const notes = [
    more > 0 ? `${more} more not shown here.` : null,
    complete ? null : "More incidents are unresolved than were looked at: there may be others.",
  ].filter((note) => note !== null);
  if (notes.length > 0) {
    const link = links.dashboard ? ` ${slackLink(links.dashboard, "See them all on the dashboard")}.` : "";
    blocks.push(words(`${notes.join(" ")}${link}`));
  }
  return answer(heading, blocks);
}
