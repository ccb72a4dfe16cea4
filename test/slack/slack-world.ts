/** Slack button presses for the tests: interaction payloads signed as Slack signs them, with a secret the test chose. */
import { inject } from "vitest";
import { receivedAt } from "../../fixtures/receivers.ts";
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
}

/** The form body Slack posts for a button press (`payload=<JSON>`). */
export function pressBody({ action, incident, user, path, team = TEAM }: Press): string {
  const payload = {
    type: "block_actions",
    team: { id: team, domain: "acme" },
    user: { id: user, username: `name-of-${user}`, team_id: team },
    response_url: `${receivers.ok}${path}`,
    actions: [{ action_id: action, block_id: "incident", value: String(incident), type: "button" }],
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** Posts `body` to the actions endpoint, signed at `at` (seconds; now by default) unless `headers` say otherwise. */
export async function postAction(
  env: Partial<Env>,
  body: string,
  headers: Record<string, string> = {},
  at?: number,
) {
  const timestamp = String(at ?? Math.floor(nowMs() / 1000));
  return callWorker(
    "/integrations/slack/actions",
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
