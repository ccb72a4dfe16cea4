/**
 * The buttons that act, in each message: Slack's `actions` block (action_id the hand action, value the
 * incident id, Resolve behind a confirm dialog) and Teams' links to the incident's page with the action
 * ready (`?action=`), for each state of the incident; none once it is resolved, none on a test message.
 */
import { describe, expect, it } from "vitest";
import type { ApiIncident, NotificationContent } from "../../src/notify/content";
import { slackMessage } from "../../src/notify/slack/message";
import { teamsMessage } from "../../src/notify/teams/message";
import { testContent } from "../../src/notify/test-content";

const PAGE = "https://itoc.example.com/incidents/42";

function content(
  state: ApiIncident["state"],
  event: NotificationContent["event"] = "opened",
  incidentUrl: string | null = PAGE,
): NotificationContent {
  const base = testContent("https://itoc.example.com", new Date("2026-11-29T12:00:00Z"));
  return { ...base, event, incidentUrl, incident: { ...base.incident, id: 42, state } };
}

const slackActions = (message: ReturnType<typeof slackMessage>) =>
  message.blocks.filter((block) => block.type === "actions");

const teamsActions = (message: ReturnType<typeof teamsMessage>) => message.attachments[0]?.content.actions;

describe("Slack buttons", () => {
  it("offer Acknowledge and Resolve on an open incident, naming the action and carrying its id", () => {
    const [block, ...more] = slackActions(slackMessage(content("open")));
    expect(more).toEqual([]);
    expect(block).toEqual({
      type: "actions",
      block_id: "incident_actions",
      elements: [
        {
          type: "button",
          action_id: "acknowledge",
          text: { type: "plain_text", text: "Acknowledge", emoji: true },
          value: "42",
          style: "primary",
        },
        {
          type: "button",
          action_id: "resolve",
          text: { type: "plain_text", text: "Resolve", emoji: true },
          value: "42",
          confirm: {
            title: { type: "plain_text", text: "Resolve the incident?", emoji: true },
            text: { type: "plain_text", text: "Incident #42 will be resolved for everyone.", emoji: true },
            confirm: { type: "plain_text", text: "Resolve", emoji: true },
            deny: { type: "plain_text", text: "Cancel", emoji: true },
            style: "danger",
          },
        },
      ],
    });
  });

  it("offer only Resolve once the incident is acknowledged, still behind the confirm dialog", () => {
    const [block] = slackActions(slackMessage(content("acknowledged", "acknowledged")));
    const elements = (block?.elements ?? []) as Record<string, unknown>[];
    expect(elements.map((element) => element.action_id)).toEqual(["resolve"]);
    expect(elements[0]).toHaveProperty("confirm.style", "danger");
  });

  it("are gone from a resolved incident's message and from a test message", () => {
    expect(slackActions(slackMessage(content("resolved", "resolved")))).toEqual([]);
    expect(slackActions(slackMessage(content("open", "test")))).toEqual([]);
  });

  it("come after the link to the incident, which stays in the text; none without PUBLIC_URL", () => {
    const blocks = slackMessage(content("open")).blocks;
    expect(blocks.at(-1)?.type).toBe("actions");
    expect(JSON.stringify(blocks.at(-2))).toContain(`<${PAGE}|Open incident #42>`);
    const unlinked = slackMessage(content("open", "opened", null));
    expect(JSON.stringify(unlinked)).not.toContain("itoc.example.com");
    expect(slackActions(unlinked)).toHaveLength(1);
  });
});

describe("Teams buttons", () => {
  const open = (action: string) => ({
    type: "Action.OpenUrl",
    title: action,
    url: `${PAGE}?action=${action.toLowerCase()}`,
  });
  const incidentLink = { type: "Action.OpenUrl", title: "Open incident #42", url: PAGE };

  it("open the incident's page with Acknowledge or Resolve ready, while it is open", () => {
    expect(teamsActions(teamsMessage(content("open")))).toEqual([
      open("Acknowledge"),
      open("Resolve"),
      incidentLink,
    ]);
  });

  it("offer only Resolve once acknowledged, and nothing to act on once resolved", () => {
    expect(teamsActions(teamsMessage(content("acknowledged", "escalated")))).toEqual([
      open("Resolve"),
      incidentLink,
    ]);
    expect(teamsActions(teamsMessage(content("resolved", "resolved")))).toEqual([incidentLink]);
  });

  it("have nowhere to go without PUBLIC_URL, and are left out of a test message", () => {
    expect(teamsActions(teamsMessage(content("open", "opened", null)))).toEqual([]);
    const test = teamsActions(teamsMessage(content("open", "test", "https://itoc.example.com/incidents")));
    expect(JSON.stringify(test)).not.toContain("action=");
  });
});
