/**
 * A Microsoft Teams message for a Workflows (Power Automate) "When a Teams webhook request is received"
 * flow: `{type: "message", attachments: [{contentType: "application/vnd.microsoft.card.adaptive",
 * content: <Adaptive Card 1.4>}]}` (Office 365 connectors and their MessageCard are retired).
 *
 * A TextBlock renders a Markdown subset (bold, italics, lists, `[title](url)` links), and FactSet values
 * are rendered alike by Teams, so neither ever carries text the payload controls: every such value is a
 * TextRun inside a RichTextBlock, which the Adaptive Cards schema defines as not parsing Markdown
 * ("Markdown is not supported", TextRun, version 1.2). Links are Action.OpenUrl buttons with our own
 * titles, to the dashboard and to the build when its URL is http(s), percent-encoded per RFC 3986 (the
 * card schema's `uri-reference`: a `|` or a backtick the URL parser leaves in a build URL breaks it).
 * Before them, an incident not yet resolved gets Acknowledge / Resolve links ({@link actionLinks}).
 */
import { toUriReference } from "../../platform/uri-reference";
import {
  buildLink,
  cut,
  factsOf,
  HAND_ACTION_LABELS,
  handActionsOf,
  headline,
  incidentLinkLabel,
  type NotificationContent,
} from "../content";

/** Teams refuses a message over 28 KB: twelve facts of at most 1,000 characters stay well within it. */
const MAX_VALUE = 1000;

const COLOR: Record<NotificationContent["event"], string> = {
  opened: "Attention",
  resolved: "Good",
  acknowledged: "Accent",
  escalated: "Warning",
  test: "Default",
};

const run = (text: string, extra: Record<string, unknown> = {}) => ({ type: "TextRun", text, ...extra });

/** Both links come from the URL parser ({@link buildLink}, {@link incidentUrl}), so they parse again. */
const openUrl = (url: string) => toUriReference(new URL(url));

/**
 * A Workflows webhook cannot call back without a bot registration, so Acknowledge and Resolve open the
 * incident's page with the action ready (`?action=`); the person still presses the page's button.
 */
function actionLinks(content: NotificationContent) {
  if (!content.incidentUrl) return [];
  const page = content.incidentUrl;
  return handActionsOf(content).map((action) => {
    const url = new URL(page);
    url.searchParams.set("action", action);
    return { type: "Action.OpenUrl", title: HAND_ACTION_LABELS[action], url: toUriReference(url) };
  });
}

export function teamsMessage(content: NotificationContent) {
  const title = {
    type: "RichTextBlock",
    inlines: [
      run(cut(headline(content), MAX_VALUE), {
        weight: "Bolder",
        size: "Medium",
        color: COLOR[content.event],
      }),
    ],
  };
  const facts = factsOf(content).map(([label, value]) => ({
    type: "RichTextBlock",
    spacing: "Small",
    inlines: [run(`${label}: `, { weight: "Bolder" }), run(cut(value, MAX_VALUE))],
  }));
  const build = buildLink(content);
  const actions = [
    ...actionLinks(content),
    ...(content.incidentUrl
      ? [{ type: "Action.OpenUrl", title: incidentLinkLabel(content), url: openUrl(content.incidentUrl) }]
      : []),
    ...(build ? [{ type: "Action.OpenUrl", title: build.label, url: openUrl(build.url) }] : []),
  ];
  return {
    type: "message",
    attachments: [
      {
        contentType: "application/vnd.microsoft.card.adaptive",
        contentUrl: null,
        content: {
          $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
          type: "AdaptiveCard",
          version: "1.4",
          // Shown by hosts that cannot render the card, and may be read as Markdown: our words only.
          fallbackText: `ITOC360: incident #${content.incident.id} (${content.incident.priority})${content.incidentUrl ? `, see ${content.incidentUrl}` : ""}`,
          msteams: { width: "Full" },
          body: [title, ...facts],
          actions,
        },
      },
    ],
  };
}
