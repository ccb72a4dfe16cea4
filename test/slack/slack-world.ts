/**
 * Slack's requests for the tests: button presses (interaction payloads) and slash commands, signed as
 * Slack signs them, with a secret the test chose.
 */
import { inject } from "vitest";
import { receivedAt } from "../../fixtures/receivers.ts";
import { MESSAGE_ACTIONS_BLOCK } from "../../src/notify/slack/buttons";
import { nowMs } from "../../src/platform/clock";
import { slackSignature } from "../../src/slack/signature";
import { callWorker } from "../helpers";

export const SLACK_SECRET = "slack-signing-secret-of-the-tests";
export const TEAM = "T0TESTTEAM";

const receivers = inject("receivers");

export interface Press {
  action: "acknowledge" | "resolve";
  incident: number;
  user: string;
  /** The receiver path standing in for the interaction's response_url. */
  path: string;
  team?: string;
  /** The pressed button's block: an incident message's own by default. */
  blockId?: string;
}

/** The form body Slack posts for a button press (`payload=<JSON>`). */
export function pressBody({
  action,
  incident,
  user,
  path,
  team = TEAM,
  blockId = MESSAGE_ACTIONS_BLOCK,
}: Press): string {
  const payload = {
    type: "block_actions",
    team: { id: team, domain: "acme" },
    user: { id: user, username: `name-of-${user}`, team_id: team },
    response_url: `${receivers.ok}${path}`,
    actions: [{ action_id: action, block_id: blockId, value: String(incident), type: "button" }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export interface Command {
  channel: string;
  user?: string;
  team?: string;
  command?: string;
  text?: string;
}

/** The form body Slack posts for a slash command (`/incidents` by default). */
export function commandBody({
  channel,
  user = "U0ASKER",
  team = TEAM,
  command = "/incidents",
  text = "",
}: Command) {
  return new URLSearchParams({
    token: "deprecated-verification-token",
    team_id: team,
    team_domain: "acme",
    channel_id: channel,
    channel_name: "builds",
    user_id: user,
    user_name: `name-of-${user}`,
    command,
    text,
    api_app_id: "A0TESTAPP",
    response_url: `${receivers.ok}/slack-command`,
    trigger_id: "1.2.3",
  }).toString();
}

/** Posts `body` to the actions endpoint, signed at `at` (seconds; now by default) unless `headers` say otherwise. */
export const postAction = (
  env: Partial<Env>,
  body: string,
  headers: Record<string, string> = {},
  at?: number,
) => postSigned("/integrations/slack/actions", env, body, headers, at);

/** Posts `body` to the slash command endpoint, signed like {@link postAction}. */
export const postCommand = (
  env: Partial<Env>,
  body: string,
  headers: Record<string, string> = {},
  at?: number,
) => postSigned("/integrations/slack/commands", env, body, headers, at);

async function postSigned(
  path: string,
  env: Partial<Env>,
  body: string,
  headers: Record<string, string>,
  at: number | undefined,
) {
  const timestamp = String(at ?? Math.floor(nowMs() / 1000));
  return callWorker(
    path,
    {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": await slackSignature(SLACK_SECRET, timestamp, body),
        ...headers,
      },
      body,
    },
    env,
  );
}

/** What the response_url receiver got at `path`, parsed, oldest first. */
export async function responses(path: string): Promise<Record<string, unknown>[]> {
  return (await receivedAt(receivers.ok, path)).map((r) => JSON.parse(r.body) as Record<string, unknown>);
}
