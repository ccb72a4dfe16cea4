/**
 * Slack's `/incidents` command, through the real Worker: commands signed with the tests' own signing
 * secret, Slack app destinations made through the API (quiet ones: they only escalate, after a week, so
 * nothing is sent to Slack's Web API), incidents opened by builds through the real webhook.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { nowMs } from "../../src/platform/clock";
import { api, createDestination } from "../helpers";
import { incidentSource } from "../incidents/incident-source";
import { commandBody, postCommand, SLACK_SECRET, TEAM } from "./slack-world";

const env = {
  SLACK_SIGNING_SECRET: SLACK_SECRET,
  SLACK_TEAM_ID: TEAM,
  PUBLIC_URL: "https://itoc.example.com",
};

/** A Slack app destination posting to `channel`, for the incidents `match` takes; it never posts here. */
const appDestination = (channel: string, match: Record<string, unknown>) =>
  createDestination({
    kind: "slack",
    name: `#${channel}`,
    bot_token: "xoxb-0000-test-token",
    channel,
    match,
    on: ["escalated"],
    escalate_after: "7d",
  });

type Block = { type: string; block_id?: string; text?: { type: string; text: string }; fields?: unknown[] };
interface Answer {
  response_type: string;
  text: string;
  blocks: Block[];
}

/** The answer to `/incidents` in `channel`, checked to be an ephemeral 200. */
async function ask(channel: string, overrides: Partial<Env> = {}): Promise<Answer> {
  const res = await postCommand({ ...env, ...overrides }, commandBody({ channel }));
  expect(res.status).toBe(200);
  const answer = (await res.json()) as Answer;
  expect(answer.response_type).toBe("ephemeral");
  expect(answer.blocks.length).toBeLessThanOrEqual(50);
  return answer;
}

/** The listed incidents, in order: each line's id, its buttons' action ids and values. */
function listed(answer: Answer) {
  const lines = answer.blocks.filter((b) => b.text?.type === "plain_text");
  return lines.map((line) => {
    const id = Number(/^#(\d+) /.exec(line.text?.text ?? "")?.[1]);
    const buttons = answer.blocks.find((b) => b.block_id === `incident_actions_${id}`) as
      | { elements: { action_id: string; value: string }[] }
      | undefined;
    return {
      id,
      line: line.text?.text ?? "",
      link: JSON.stringify(line.fields ?? []),
      buttons: (buttons?.elements ?? []).map((e) => `${e.action_id}:${e.value}`),
    };
  });
}

let alpha: Awaited<ReturnType<typeof incidentSource>>;
let bravo: Awaited<ReturnType<typeof incidentSource>>;
const ids: Record<string, number> = {};

beforeAll(async () => {
  alpha = await incidentSource("slash alpha");
  bravo = await incidentSource("slash bravo");
  const policy = await api(`/api/sources/${alpha.source.id}`, {
    method: "PATCH",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ policy: { priorities: { ABORTED: "LOW" } } }),
  });
  expect(policy.status).toBe(200);
  // #alpha hears about all of alpha and bravo's shared jobs; #bravo about all of bravo; #quiet about nothing.
  await appDestination("C0ALPHA", { source_id: alpha.source.id });
  await appDestination("C0ALPHA", { source_id: bravo.source.id, job: "shared/**" });
  await appDestination("C0BRAVO", { source_id: bravo.source.id });
  await appDestination("C0QUIET", { source_id: "no-such-source" });
  const open = async (source: typeof alpha, job: string, status: string) => {
    await source.send(job, 1, "FINALIZED", status);
    ids[job] = (await source.incidentOf(job)).id;
  };
  // Opened in this order: oldest first within a priority.
  await open(alpha, "alpha/low", "ABORTED");
  await open(alpha, "alpha/high-old", "FAILURE");
  await open(alpha, "alpha/medium", "UNSTABLE");
  await open(alpha, "alpha/high-new", "FAILURE");
  await open(alpha, "alpha/acked", "FAILURE");
  await open(alpha, "alpha/resolved", "FAILURE");
  await open(bravo, "shared/lib", "FAILURE");
  await open(bravo, "bravo/only", "FAILURE");
  const ack = await api(`/api/incidents/${ids["alpha/acked"]}/acknowledge`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: "{}",
  });
  expect(ack.status).toBe(200);
  await alpha.send("alpha/resolved", 2, "FINALIZED", "SUCCESS");
  expect((await alpha.incident(ids["alpha/resolved"] ?? 0)).state).toBe("resolved");
});

describe("POST /integrations/slack/commands (/incidents)", () => {
  it("lists exactly what the channel's destinations route, highest priority first, then oldest, with buttons", async () => {
    const answer = await ask("C0ALPHA");
    const rows = listed(answer);
    const order = [
      "alpha/high-old",
      "alpha/high-new",
      "alpha/acked",
      "shared/lib",
      "alpha/medium",
      "alpha/low",
    ];
    expect(rows.map((row) => row.id)).toEqual(order.map((job) => ids[job]));
    expect(rows.map((row) => row.line.split(" · ")[1])).toEqual([
      "HIGH",
      "HIGH",
      "HIGH",
      "HIGH",
      "MEDIUM",
      "LOW",
    ]);
    // Not bravo's own job (another channel's destination takes it), nor the resolved one.
    expect(JSON.stringify(answer)).not.toContain("bravo/only");
    expect(JSON.stringify(answer)).not.toContain("alpha/resolved");
    const acked = rows.find((row) => row.id === ids["alpha/acked"]);
    expect(acked?.line).toContain("· acknowledged by admin token ·");
    expect(acked?.buttons).toEqual([`resolve:${acked?.id}`]);
    const open = rows.find((row) => row.id === ids["alpha/high-old"]);
    expect(open?.line).toMatch(
      /^#\d+ · HIGH · alpha\/high-old · open · since \d{4}-\d\d-\d\d \d\d:\d\d UTC$/,
    );
    expect(open?.buttons).toEqual([`acknowledge:${open?.id}`, `resolve:${open?.id}`]);
    expect(open?.link).toContain(
      `<https://itoc.example.com/incidents/${open?.id}|Open incident #${open?.id}>`,
    );
    expect(answer.text).toBe("6 incidents not yet resolved in this channel, highest priority first.");
  });

  it("lists another channel's own incidents there, and nothing of the first channel's", async () => {
    const rows = listed(await ask("C0BRAVO"));
    expect(rows.map((row) => row.id)).toEqual([ids["shared/lib"], ids["bravo/only"]]);
  });

  it("leaves the links out without PUBLIC_URL, and keeps the buttons", async () => {
    const answer = await ask("C0BRAVO", { PUBLIC_URL: "" });
    expect(JSON.stringify(answer)).not.toContain("itoc.example.com");
    expect(listed(answer).map((row) => row.buttons.length)).toEqual([2, 2]);
  });

  it("says there is nothing to list when the channel's destinations route no unresolved incident", async () => {
    const answer = await ask("C0QUIET");
    expect(listed(answer)).toEqual([]);
    expect(answer.text).toContain("Nothing to list");
  });

  it("tells a channel without a Slack app destination what an admin does", async () => {
    const answer = await ask("C0NOAPP");
    expect(listed(answer)).toEqual([]);
    const text = JSON.stringify(answer.blocks);
    expect(text).toContain("No Slack app destination posts to this channel");
    expect(text).toContain('\\"channel\\": \\"C0NOAPP\\"');
    expect(text).toContain("bot_token");
  });

  it("caps the list at Block Kit's 50 blocks and says how many more, with the dashboard link", async () => {
    const many = await incidentSource("slash many");
    await appDestination("C0MANY", { source_id: many.source.id });
    for (let n = 0; n < 26; n += 1) await many.send(`many/job-${n}`, 1, "FINALIZED", "FAILURE");
    const answer = await ask("C0MANY");
    expect(listed(answer)).toHaveLength(24);
    expect(answer.blocks).toHaveLength(50);
    const last = JSON.stringify(answer.blocks.at(-1));
    expect(last).toContain("2 more not shown here.");
    expect(last).toContain("<https://itoc.example.com/|See them all on the dashboard>");
    expect(answer.text).toContain("26 incidents");
  });

  it("refuses a bad, missing or old signature with 401, listing nothing", async () => {
    const body = commandBody({ channel: "C0ALPHA" });
    const now = Math.floor(nowMs() / 1000);
    const cases: [string, Promise<Response>][] = [
      ["bad signature", postCommand(env, body, { "X-Slack-Signature": `v0=${"0".repeat(64)}` })],
      ["no signature", postCommand(env, body, { "X-Slack-Signature": "" })],
      ["no timestamp", postCommand(env, body, { "X-Slack-Request-Timestamp": "" })],
      ["too old", postCommand(env, body, {}, now - 301)],
      ["too new", postCommand(env, body, {}, now + 301)],
    ];
    for (const [what, pending] of cases) {
      const res = await pending;
      expect(res.status, what).toBe(401);
      expect(res.headers.get("Content-Type"), what).toContain("application/problem+json");
      const text = await res.text();
      expect(text, what).not.toContain("alpha/");
      expect(text, what).not.toContain("incident");
    }
  });

  it("refuses another workspace with 403, a malformed form with 400, and answers 503 without a secret", async () => {
    const other = await postCommand(env, commandBody({ channel: "C0ALPHA", team: "T0OTHER" }));
    expect(other.status).toBe(403);
    expect(other.headers.get("Content-Type")).toContain("application/problem+json");
    expect(await other.text()).not.toContain("alpha/");
    const malformed = await postCommand(env, commandBody({ channel: "#alpha" }));
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ errors: [{ path: "channel_id" }] });
    const unconfigured = await postCommand(
      { ...env, SLACK_SIGNING_SECRET: "" },
      commandBody({ channel: "C0ALPHA" }),
    );
    expect(unconfigured.status).toBe(503);
  });
});
