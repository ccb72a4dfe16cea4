/**
 * A Slack incoming-webhook message (Block Kit). Everything the payload or the incident controls goes
 * into `plain_text` objects, which Slack never parses: a job called `<!channel>` pings nobody and `*x*`
 * stays two asterisks. mrkdwn carries only our own words (the fact labels) and links, whose URLs are
 * escaped. The top-level `text` (notifications, and clients that cannot show blocks) is escaped (`&`,
 * `<`, `>`, Slack's control characters) and sent with `mrkdwn: false`. Block Kit's limits are kept by
 * cutting with "…": header 150 characters, a section's text 3,000, a field 2,000, 10 fields a section,
 * 50 blocks a message. An incident not yet resolved gets Acknowledge / Resolve buttons ({@link actionsBlock});
 * the link to it stays in the text, as a link button would also send the app an interaction to answer.
 */
import {
  buildLink,
  cut,
  factsOf,
  handActionsOf,
  headline,
  incidentLinkLabel,
  type NotificationContent,
  summaryLine,
} from "../content";
import { actionsBlock } from "./buttons";

/** Block Kit's limits: a header's characters, a section's text, a field, fields a section, blocks a message. */
export const LIMITS = { header: 150, text: 3000, field: 2000, fields: 10, blocks: 50 } as const;

const EMOJI: Record<NotificationContent["event"], string> = {
  opened: "🔴",
  resolved: "✅",
  acknowledged: "👀",
  escalated: "⏫",
  test: "🧪",
};

/** `&`, `<` and `>` as Slack's HTML entities: what Slack requires of text that is parsed. */
export const escapeSlack = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/**
 * A URL for `<url|label>`: percent-encode the `|` that would end it (the URL parser already encoded
 * spaces and angle brackets), then escape the control characters.
 */
const linkUrl = (url: string) => escapeSlack(url.replace(/\|/g, "%7C"));

/** A mrkdwn link to `url` with `label`, which must be our own words (mrkdwn parses it). */
export const slackLink = (url: string, label: string) => `<${linkUrl(url)}|${label}>`;

/** Text Slack never parses, cut to `max` characters. */
export const plain = (text: string, max: number) => ({
  type: "plain_text",
  text: cut(text, max),
  emoji: true,
});

type Block = Record<string, unknown>;

/**
 * The message for `content`; `buttons: false` leaves the actions block out (a reply in a Slack app's
 * thread: the buttons stay on the thread's first message, which is kept up to date).
 */
export function slackMessage(content: NotificationContent, { buttons = true } = {}) {
  const blocks: Block[] = [
    { type: "header", text: plain(`${EMOJI[content.event]} ${headline(content)}`, LIMITS.header) },
  ];
  // Two columns: our label in bold, the value as plain text beside it.
  const fields = factsOf(content).flatMap(([label, value]) => [
    { type: "mrkdwn", text: `*${label}*` },
    plain(value, LIMITS.field),
  ]);
  for (let i = 0; i < fields.length; i += LIMITS.fields) {
    blocks.push({ type: "section", fields: fields.slice(i, i + LIMITS.fields) });
  }
  const incidentLink =
    content.incidentUrl === null ? null : slackLink(content.incidentUrl, incidentLinkLabel(content));
  const build = buildLink(content);
  const buildText = build ? slackLink(build.url, build.label) : null;
  const withBuild = [incidentLink, buildText].filter((part) => part !== null).join("  ·  ");
  // A link is never cut (a cut one is a wrong one): a build URL too long to fit is left out.
  const links = withBuild.length <= LIMITS.text ? withBuild : (incidentLink ?? "");
  // verbatim: Slack neither links names nor parses mentions in it; the text is ours and our links.
  if (links) blocks.push({ type: "section", text: { type: "mrkdwn", text: links, verbatim: true } });
  const actions = buttons ? actionsBlock(content.incident.id, handActionsOf(content)) : null;
  if (actions) blocks.push(actions);
  return {
    // Cut before escaping, so no entity is cut in half (the text field itself takes 40,000).
    text: escapeSlack(cut(summaryLine(content), LIMITS.text)),
    mrkdwn: false,
    unfurl_links: false,
    unfurl_media: false,
    blocks: blocks.slice(0, LIMITS.blocks),
  };
}
