/**
 * Slack app destinations, through the real Worker, NOTIFY_QUEUE and the destination's sender: each test
 * posts with a bot token of its own to the stand-in for Slack's Web API (scripts/lib/slack-api-server.ts,
 * the Worker's SLACK_API_BASE in the tests), which keeps channels, threads and updates as Slack would and
 * answers `ok: false` when a test tells it to.
 */
import { describe, expect, inject, it } from "vitest";
import { scriptSlack, slackCalls, slackMessages } from "../../fixtures/slack-api.ts";
import { auditOf, everyAuditRow } from "../audit/audit-helpers";
import { api, createDestination, eventually } from "../helpers";
import { incidentSource } from "../incidents/incident-source";

const slackApi = inject("slackApi");

/** For destinations a test only creates and reads: no incident of any test is routed to them. */
const QUIET = { match: { source_id: "no-such-source" } };

/** A bot token no other test uses: the stand-in keeps everything per token. */
const newToken = () => `xoxb-test-${crypto.randomUUID()}`;

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify(body),
});

/** A source of its own and a Slack app destination for it, posting to `channel` with a new token. */
async function slackApp(name: string, on: string[] = ["opened", "acknowledged", "resolved"]) {
  const incidents = await incidentSource(name);
  const token = newToken();
  const { id } = await createDestination({
    name,
    kind: "slack",
    bot_token: token,
    channel: "C0OPS",
    on,
    match: { source_id: incidents.source.id },
  });
  return { ...incidents, token, destinationId: id };
}

/** The button `action_id`s of a message's actions block. */
const buttonsOf = (args: Record<string, unknown>) =>
  ((args.blocks as { type: string; elements?: { action_id: string }[] }[]) ?? [])
    .filter((block) => block.type === "actions")
    .flatMap((block) => (block.elements ?? []).map((element) => element.action_id));

describe("creating a Slack app destination", () => {
  it("keeps the bot token sealed: the answers show the channel and Slack's origin, never the token", async () => {
    const token = newToken();
    const res = await api(
      "/api/destinations",
      json("POST", { name: "ops app", kind: "slack", bot_token: token, channel: "C0ABC123", ...QUIET }),
    );
    expect(res.status).toBe(201);
    const created = await res.text();
    expect(created).not.toContain(token);
    const destination = JSON.parse(created) as { id: number; channel: string; url_display: string };
    expect(destination).toMatchObject({
      kind: "slack",
      channel: "C0ABC123",
      url_display: "https://slack.com",
    });
    expect(destination).not.toHaveProperty("secret");
    expect(await (await api(`/api/destinations/${destination.id}`)).text()).not.toContain(token);
    expect(await (await api("/api/destinations")).text()).not.toContain(token);
    expect(await everyAuditRow()).not.toContain(token);
  });

  it.each([
    [{ kind: "slack", bot_token: "xoxb-1" }, "channel", "is required with bot_token"],
    [{ kind: "slack", channel: "C0ABC123" }, "bot_token", "is required with channel"],
    [
      {
        kind: "slack",
        url: "https://hooks.slack.com/services/T/B/x",
        bot_token: "xoxb-1",
        channel: "C0ABC123",
      },
      "url",
      "no URL",
    ],
    [{ kind: "teams", bot_token: "xoxb-1", channel: "C0ABC123" }, "bot_token", "only for a Slack app"],
    [{ kind: "slack", bot_token: "xoxb-1", channel: "#ops" }, "channel", "the channel's ID"],
    [{ kind: "slack", bot_token: "xoxp-user-token", channel: "C0ABC123" }, "bot_token", "xoxb-"],
    [{ kind: "slack" }, "url", "expected a URL"],
  ])("refuses %j, naming `%s`, and stores nothing", async (body, field, message) => {
    const before = await (await api("/api/destinations?limit=100")).text();
    const res = await api("/api/destinations", json("POST", { name: "wrong", ...QUIET, ...body }));
    expect(res.status).toBe(400);
    expect(res.headers.get("Content-Type")).toContain("application/problem+json");
    const problem = (await res.json()) as { errors: { path: string; message: string }[] };
    expect(problem.errors).toEqual([
      expect.objectContaining({
        path: expect.stringContaining(field),
        message: expect.stringContaining(message),
      }),
    ]);
    expect(await (await api("/api/destinations?limit=100")).text()).toBe(before);
  });

  it("changes its token and channel by PATCH, and refuses a URL or a token on an incoming webhook", async () => {
    const { id } = await createDestination({
      name: "app",
      kind: "slack",
      bot_token: newToken(),
      channel: "C0ONE",
      ...QUIET,
    });
    const moved = await api(
      `/api/destinations/${id}`,
      json("PATCH", { channel: "C0TWO", bot_token: newToken() }),
    );
    expect(moved.status).toBe(200);
    expect(await moved.json()).toMatchObject({ channel: "C0TWO" });
    const [changed] = (await auditOf(`destination:${id}`)).slice(-1);
    expect(changed?.details).toMatchObject({ after: { channel: "C0TWO", bot_token: "changed" } });
    expect(
      (await api(`/api/destinations/${id}`, json("PATCH", { url: "https://hooks.slack.com/services/x" })))
        .status,
    ).toBe(400);
    const webhook = await createDestination({
      name: "hook",
      kind: "slack",
      url: "https://hooks.slack.com/services/T/B/x",
      ...QUIET,
    });
    expect(
      (await api(`/api/destinations/${webhook.id}`, json("PATCH", { bot_token: newToken() }))).status,
    ).toBe(400);
  });
});

describe("an incident's messages to a Slack app", () => {
  it("posts the first with buttons, replies in its thread, and keeps it up to date until resolved", async () => {
    const { finish, incidentOf, token } = await slackApp("slack app: thread");
    await finish("app/api", 1, "FAILURE");
    const opened = await eventually(
      () => slackMessages(slackApi, token),
      (messages) => messages.length === 1,
    );
    expect(opened[0]).toMatchObject({ channel: "C0OPS", thread_ts: null, updates: 0 });
    expect(buttonsOf(opened[0]?.args ?? {})).toEqual(["acknowledge", "resolve"]);
    const thread = opened[0]?.ts;
    const incident = await incidentOf("app/api");
    expect(incident.notifications[0]).toMatchObject({ event: "opened", state: "delivered" });

    const ack = await api(`/api/incidents/${incident.id}/acknowledge`, json("POST", { note: "on it" }));
    expect(ack.status).toBe(200);
    const acknowledged = await eventually(
      () => slackMessages(slackApi, token),
      (messages) => messages.length === 2,
    );
    // The first message now reads acknowledged and offers Resolve only; the reply is in its thread, without buttons.
    expect(acknowledged[0]).toMatchObject({ ts: thread, updates: 1 });
    expect(JSON.stringify(acknowledged[0]?.args.blocks)).toContain("Incident acknowledged");
    expect(buttonsOf(acknowledged[0]?.args ?? {})).toEqual(["resolve"]);
    expect(acknowledged[1]).toMatchObject({ channel: "C0OPS", thread_ts: thread });
    expect(buttonsOf(acknowledged[1]?.args ?? {})).toEqual([]);

    await finish("app/api", 2, "SUCCESS");
    const resolved = await eventually(
      () => slackMessages(slackApi, token),
      (messages) => messages.length === 3,
    );
    // Its final state: resolved, by which build, and no buttons left.
    expect(resolved[0]).toMatchObject({ ts: thread, updates: 2 });
    expect(JSON.stringify(resolved[0]?.args.blocks)).toContain("resolved by build #2");
    expect(buttonsOf(resolved[0]?.args ?? {})).toEqual([]);
    expect(resolved[2]).toMatchObject({ thread_ts: thread });
    expect(JSON.stringify(resolved[2]?.args.blocks)).toContain("Incident resolved");
    // Every call carried the token and the channel, and nothing else reached Slack.
    const calls = await slackCalls(slackApi, token);
    expect(calls.map((call) => call.method)).toEqual([
      "chat.postMessage",
      "chat.update",
      "chat.postMessage",
      "chat.update",
      "chat.postMessage",
    ]);
    const done = await eventually(
      () => incidentOf("app/api"),
      (found) => found.notifications.every((n) => n.state === "delivered"),
    );
    expect(done.notifications.map((n) => [n.event, n.state])).toEqual([
      ["opened", "delivered"],
      ["acknowledged", "delivered"],
      ["resolved", "delivered"],
    ]);
  });

  it("waits out a rate limit's Retry-After, then posts once", async () => {
    const { finish, incidentOf, token } = await slackApp("slack app: rate limit", ["opened"]);
    await scriptSlack(slackApi, token, [{ error: "ratelimited", status: 429, retryAfter: 1 }]);
    await finish("app/limited", 1, "FAILURE");
    const incident = await eventually(
      () => incidentOf("app/limited"),
      (found) => found.notifications[0]?.state === "delivered",
      20_000,
    );
    expect(incident.notifications[0]).toMatchObject({ attempts: 2, last_status: 200 });
    expect((await slackCalls(slackApi, token)).map((call) => [call.status, call.error])).toEqual([
      [429, "ratelimited"],
      [200, null],
    ]);
    expect(await slackMessages(slackApi, token)).toHaveLength(1);
  });

  it("retries an ok:false it does not know as a failure named by Slack's error", async () => {
    const { finish, incidentOf, token } = await slackApp("slack app: unknown error", ["opened"]);
    await scriptSlack(slackApi, token, [{ error: "fatal_error" }]);
    await finish("app/fatal", 1, "FAILURE");
    const incident = await eventually(
      () => incidentOf("app/fatal"),
      (found) => found.notifications[0]?.state === "delivered",
      20_000,
    );
    expect(incident.notifications[0]).toMatchObject({ attempts: 2 });
    expect((await slackCalls(slackApi, token)).map((call) => call.error)).toEqual(["fatal_error", null]);
  });

  it.each(["channel_not_found", "not_in_channel", "invalid_auth", "token_revoked"])(
    "disables the destination with the reason when Slack answers ok:false %s, and gives the notification up",
    async (error) => {
      const { finish, incidentOf, token, destinationId } = await slackApp(`slack app: ${error}`, ["opened"]);
      await scriptSlack(slackApi, token, [{ error }]);
      await finish("app/gone", 1, "FAILURE");
      const incident = await eventually(
        () => incidentOf("app/gone"),
        (found) => found.notifications[0]?.state === "failed",
      );
      expect(incident.notifications[0]).toMatchObject({ attempts: 1, last_status: 200, last_error: error });
      const shown = (await (await api(`/api/destinations/${destinationId}`)).json()) as Record<
        string,
        unknown
      >;
      expect(shown).toMatchObject({ disabled: true, disabled_reason: `Slack: ${error}` });
      const [disabled] = (await auditOf(`destination:${destinationId}`)).slice(-1);
      expect(disabled).toMatchObject({
        action: "destination.disabled",
        details: { reason: `Slack: ${error}` },
      });
      // Disabled: the next incident sends nothing.
      await finish("app/gone-again", 1, "FAILURE");
      expect(await slackCalls(slackApi, token)).toHaveLength(1);
    },
  );

  it("still replies in the thread when the first message cannot be updated any more", async () => {
    const { finish, incidentOf, token } = await slackApp("slack app: deleted message", [
      "opened",
      "resolved",
    ]);
    await finish("app/deleted", 1, "FAILURE");
    await eventually(
      () => slackMessages(slackApi, token),
      (messages) => messages.length === 1,
    );
    await scriptSlack(slackApi, token, [{ error: "message_not_found", method: "chat.update" }]);
    await finish("app/deleted", 2, "SUCCESS");
    const incident = await eventually(
      () => incidentOf("app/deleted"),
      (found) => found.notifications[1]?.state === "delivered",
    );
    expect(incident.notifications[1]).toMatchObject({ event: "resolved", attempts: 1 });
    const messages = await slackMessages(slackApi, token);
    expect(messages[1]?.thread_ts).toBe(messages[0]?.ts);
  });

  it("posts afresh in a new channel after a change of channel, never touching the old one", async () => {
    const { finish, token, destinationId } = await slackApp("slack app: moved", ["opened", "resolved"]);
    await finish("app/moved", 1, "FAILURE");
    await eventually(
      () => slackMessages(slackApi, token),
      (messages) => messages.length === 1,
    );
    // The old channel was archived: any call there would disable the destination again.
    await scriptSlack(slackApi, token, [{ error: "is_archived", method: "chat.update" }]);
    const moved = await api(`/api/destinations/${destinationId}`, json("PATCH", { channel: "C0NEW" }));
    expect(moved.status).toBe(200);
    await finish("app/moved", 2, "SUCCESS");
    const messages = await eventually(
      () => slackMessages(slackApi, token),
      (list) => list.length === 2,
    );
    expect(messages[1]).toMatchObject({ channel: "C0NEW", thread_ts: null });
    expect((await slackCalls(slackApi, token)).map((call) => call.method)).toEqual([
      "chat.postMessage",
      "chat.postMessage",
    ]);
    expect(await (await api(`/api/destinations/${destinationId}`)).json()).toMatchObject({ disabled: false });
  });

  it("sends a test message to the channel, and a revoked token answers the test with Slack's error", async () => {
    const token = newToken();
    const { id } = await createDestination({
      name: "tested",
      kind: "slack",
      bot_token: token,
      channel: "C0TEST",
      ...QUIET,
    });
    const ok = await api(`/api/destinations/${id}/test`, { method: "POST" });
    expect(await ok.json()).toMatchObject({ ok: true, status: 200, error: null });
    const [posted] = await slackMessages(slackApi, token);
    expect(posted).toMatchObject({ channel: "C0TEST", thread_ts: null });
    expect(buttonsOf(posted?.args ?? {})).toEqual([]);

    await scriptSlack(slackApi, token, [{ error: "token_revoked" }]);
    const refused = await api(`/api/destinations/${id}/test`, { method: "POST" });
    expect(await refused.json()).toMatchObject({ ok: false, status: 200, error: "token_revoked" });
    expect(await (await api(`/api/destinations/${id}`)).json()).toMatchObject({
      disabled: true,
      disabled_reason: "Slack: token_revoked",
    });
  });
});
