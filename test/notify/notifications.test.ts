/**
 * Notifications end to end: builds delivered to the real webhook, incidents opened and resolved by
 * ingest, routed and sent through the real NOTIFY_QUEUE and its consumer to real receivers on loopback
 * (scripts/lib/receivers-setup.ts), with the test project's seconds-long retry schedule.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { describe, expect, inject, it } from "vitest";
import { receivedAt } from "../../fixtures/receivers.ts";
import worker from "../../src/index";
import { KEY_WAIT_MAX_SECONDS, keyWaitSeconds } from "../../src/notify/destinations/key-wait";
import { sendMessage } from "../../src/notify/queue-message";
import { DEFAULT_SCHEDULE, parseSchedule } from "../../src/notify/retry";
import { nowMs } from "../../src/platform/clock";
import { api, callWorker, createDestination, dashboardPage, dashboardSession, eventually } from "../helpers";
import { incidentSource as setup } from "../incidents/incident-source";
import { captureLogs } from "../logs";
import { specSignature } from "./webhook/webhook-spec";

const receivers = inject("receivers");

const received = receivedAt;

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify(body),
});

describe("notifications", { tags: ["any-day"] }, () => {
  it("signs webhooks, retries a 503 with the same webhook-id, and sends resolved after opened", async () => {
    const { source, finish, incidentOf } = await setup("notify: webhook");
    const path = "/notify-webhook";
    const { id, secret } = await createDestination({
      name: "signed",
      kind: "webhook",
      url: `${receivers.flaky}${path}`,
      match: { source_id: source.id },
    });
    await finish("notify/api", 1, "FAILURE");
    await finish("notify/api", 2, "SUCCESS");

    // opened: 503, 503, 200; only then resolved.
    const arrived = await eventually(
      () => received(receivers.flaky, path),
      (list) => list.filter((r) => r.answered === 200).length === 2,
      20_000,
    );
    const types = arrived.map((r) => [(JSON.parse(r.body) as { type: string }).type, r.answered]);
    expect(types).toEqual([
      ["incident.opened", 503],
      ["incident.opened", 503],
      ["incident.opened", 200],
      ["incident.resolved", 200],
    ]);
    const opened = arrived.slice(0, 3).map((r) => r.headers["webhook-id"]);
    expect(new Set(opened).size).toBe(1);
    // Random per notification (unique across installations and restored databases), not made of row ids.
    expect(opened[0]).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(arrived[3]?.headers["webhook-id"]).toMatch(/^msg_[0-9a-f]{32}$/);
    expect(arrived[3]?.headers["webhook-id"]).not.toBe(opened[0]);
    const webhook = new Webhook(secret as string);
    for (const request of arrived) {
      expect(() => webhook.verify(request.body, request.headers)).not.toThrow();
      expect((request.headers["webhook-signature"] ?? "").split(" ")).toContain(
        await specSignature(secret as string, request.headers, request.body),
      );
    }

    const incident = await incidentOf("notify/api");
    // The body's timestamp is when the event happened, the same on every attempt; the header's is the attempt's.
    const stamps = arrived.map((r) => (JSON.parse(r.body) as { timestamp: string }).timestamp);
    expect(stamps).toEqual([
      incident.opened_at,
      incident.opened_at,
      incident.opened_at,
      incident.resolved_at,
    ]);
    expect(incident.notifications).toEqual([
      expect.objectContaining({
        destination_id: id,
        event: "opened",
        state: "delivered",
        attempts: 3,
        last_status: 200,
      }),
      expect.objectContaining({ destination_id: id, event: "resolved", state: "delivered", attempts: 1 }),
    ]);
  });

  it("retries a 401 (a receiver rotating its secret) on the schedule, under the same webhook-id", async () => {
    const { source, finish, incidentOf } = await setup("notify: rotating");
    const path = "/notify-rotating";
    await createDestination({
      name: "rotating",
      kind: "webhook",
      url: `${receivers.rotating}${path}`,
      match: { source_id: source.id },
    });
    await finish("notify/rotating", 1, "FAILURE");
    const arrived = await eventually(
      () => received(receivers.rotating, path),
      (list) => list.some((r) => r.answered === 200),
      20_000,
    );
    expect(arrived.map((r) => r.answered)).toEqual([401, 401, 200]);
    expect(new Set(arrived.map((r) => r.headers["webhook-id"])).size).toBe(1);
    const incident = await eventually(
      () => incidentOf("notify/rotating"),
      (found) => found.notifications[0]?.state === "delivered",
    );
    expect(incident.notifications[0]).toMatchObject({ attempts: 3, last_status: 200 });
  });

  it("disables a destination that answers 410, and gives the notification up", async () => {
    const { source, finish, incidentOf } = await setup("notify: gone");
    const { id } = await createDestination({
      name: "gone",
      kind: "slack",
      url: `${receivers.gone}/notify-gone`,
      match: { source_id: source.id },
    });
    await finish("notify/gone", 1, "FAILURE");
    const incident = await eventually(
      () => incidentOf("notify/gone"),
      (found) => found.notifications[0]?.state === "failed",
      20_000,
    );
    expect(incident.notifications[0]).toMatchObject({ attempts: 1, last_status: 410 });
    const shown = (await (await api(`/api/destinations/${id}`)).json()) as { disabled_reason: string | null };
    expect(shown.disabled_reason).toBe("410 Gone");
  });

  it("never lets a job called <!channel> reach Slack's mrkdwn unescaped", async () => {
    const { source, finish } = await setup("notify: slack");
    const path = "/notify-slack";
    await createDestination({
      name: "slack",
      kind: "slack",
      url: `${receivers.ok}${path}`,
      match: { source_id: source.id },
    });
    await finish("%3C!channel%3E", 1, "FAILURE");
    const [message] = await eventually(
      () => received(receivers.ok, path),
      (list) => list.length === 1,
      20_000,
    );
    const body = JSON.parse(message?.body ?? "{}") as { text: string; blocks: unknown[] };
    expect(body.text).toContain("&lt;!channel&gt;");
    // Anywhere mrkdwn is parsed, the name appears only escaped; elsewhere it is plain_text.
    const mrkdwn = JSON.stringify(body.blocks)
      .match(/"type":"mrkdwn","text":"[^"]*"/g)
      ?.join(" ");
    expect(mrkdwn ?? "").not.toContain("<!channel>");
    expect(JSON.stringify(body.blocks)).toContain('"type":"plain_text","text":"<!channel>');
  });

  it("sends again on request, under the same webhook-id", async () => {
    const { source, finish, incidentOf } = await setup("notify: again");
    const path = "/notify-again";
    await createDestination({
      name: "again",
      kind: "webhook",
      url: `${receivers.ok}${path}`,
      match: { source_id: source.id },
    });
    await finish("notify/again", 1, "FAILURE");
    await eventually(
      () => received(receivers.ok, path),
      (list) => list.length === 1,
      20_000,
    );
    const incident = await incidentOf("notify/again");
    const notificationId = (incident.notifications[0] as unknown as { id: number }).id;
    const res = await api(`/api/incidents/${incident.id}/notifications/${notificationId}/send`, {
      method: "POST",
    });
    expect(res.status).toBe(202);
    const both = await eventually(
      () => received(receivers.ok, path),
      (list) => list.length === 2,
      20_000,
    );
    expect(both[1]?.headers["webhook-id"]).toBe(both[0]?.headers["webhook-id"]);
    expect(env.NOTIFY_QUEUE).toBeDefined();
  });
});

describe("an attempt cut short", () => {
  it("is sent again by the next sweep once its lease has run out, not 15 minutes after its hand-over", async () => {
    const { source, finish, incidentOf } = await setup("notify: cut short");
    const path = "/notify-cut-short";
    await createDestination({
      name: "cut short",
      kind: "webhook",
      url: `${receivers.ok}${path}`,
      match: { source_id: source.id },
    });
    await finish("notify/cut-short", 1, "FAILURE");
    await eventually(
      () => received(receivers.ok, path),
      (list) => list.length === 1,
      20_000,
    );
    const incident = await incidentOf("notify/cut-short");
    const notificationId = (incident.notifications[0] as unknown as { id: number }).id;
    // As a sender restarted mid-attempt leaves it: claimed (pending, leased), just handed over, and its
    // sender's next claim turned away by the lease, so the sender has let it go.
    const now = nowMs();
    await env.DB.prepare(
      `UPDATE notifications SET state = 'pending', delivered_at = NULL, next_attempt_at = ?2,
         lease_until = ?3, handed_over_at = ?4 WHERE id = ?1`,
    )
      .bind(
        notificationId,
        new Date(now - 90_000).toISOString(),
        new Date(now - 40_000).toISOString(),
        new Date(now - 60_000).toISOString(),
      )
      .run();
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ scheduledTime: now, cron: "* * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    const both = await eventually(
      () => received(receivers.ok, path),
      (list) => list.length === 2,
      20_000,
    );
    expect(both[1]?.headers["webhook-id"]).toBe(both[0]?.headers["webhook-id"]);
  });
});

describe("a send its sender cannot claim yet", () => {
  it("comes back when the lease that held it runs out, without waiting for the sweep", async () => {
    const { source, finish, incidentOf } = await setup("notify: leased");
    const path = "/notify-leased";
    await createDestination({
      name: "leased",
      kind: "webhook",
      url: `${receivers.ok}${path}`,
      match: { source_id: source.id },
    });
    await finish("notify/leased", 1, "FAILURE");
    await eventually(
      () => received(receivers.ok, path),
      (list) => list.length === 1,
      20_000,
    );
    const incident = await incidentOf("notify/leased");
    const notificationId = (incident.notifications[0] as unknown as { id: number }).id;
    // Pending again and under another attempt's lease for 3 s more, then handed to its sender: the
    // claim is turned away, and the sender must not simply let the row go.
    await env.DB.prepare(
      `UPDATE notifications SET state = 'pending', delivered_at = NULL, next_attempt_at = ?2, lease_until = ?3
       WHERE id = ?1`,
    )
      .bind(notificationId, new Date(nowMs() - 1_000).toISOString(), new Date(nowMs() + 3_000).toISOString())
      .run();
    await env.NOTIFY_QUEUE.send(sendMessage(notificationId));
    const both = await eventually(
      () => received(receivers.ok, path),
      (list) => list.length === 2,
      20_000,
    );
    expect(both[1]?.headers["webhook-id"]).toBe(both[0]?.headers["webhook-id"]);
  });
});

describe("notifications and DESTINATIONS_KEY", { tags: ["any-day"] }, () => {
  /**
   * The Worker's own DESTINATIONS_KEY, as the queue consumer reads it: the consumer is handed the
   * isolate's bindings, which a test can only change in place (and must put back).
   */
  const setWorkerKey = (value: string) => {
    (env as { DESTINATIONS_KEY: string }).DESTINATIONS_KEY = value;
  };

  it("waits for the right key instead of giving up, says so everywhere, then sends opened and resolved in order", async () => {
    const { source, finish, incidentOf } = await setup("notify: key");
    const path = "/notify-key";
    const { id } = await createDestination({
      name: "keyed hook",
      kind: "webhook",
      url: `${receivers.ok}${path}`,
      match: { source_id: source.id },
    });
    const logs = captureLogs();
    const right = env.DESTINATIONS_KEY;
    // The secret put back with the same id and other bytes (a paste from the wrong vault entry).
    const wrong = `k1:${btoa("thirty-two bytes, but not k1's!!")}`;
    setWorkerKey(wrong);
    try {
      await finish("notify/key", 1, "FAILURE");
      await finish("notify/key", 2, "SUCCESS");
      // More looks than the schedule ("1s,1s,1s": four attempts) would have allowed, none given up.
      const looks = () =>
        logs
          .named("notification_attempt")
          .filter((line) => line.destination_id === id && line.outcome === "unreadable");
      await eventually(
        async () => looks().length,
        (n) => n >= 5,
        25_000,
      );
      expect(looks().every((line) => line.type === "opened" && line.attempt === 0)).toBe(true);
      const waiting = await incidentOf("notify/key");
      expect(waiting.notifications).toEqual([
        expect.objectContaining({
          destination_id: id,
          event: "opened",
          state: "pending",
          attempts: 0,
          last_status: null,
          last_error: 'destination unreadable: does not decrypt with key "k1"',
          gave_up_at: null,
        }),
        expect.objectContaining({ destination_id: id, event: "resolved", state: "waiting", attempts: 0 }),
      ]);
      expect(await received(receivers.ok, path)).toEqual([]);

      // Loud: /readyz, the API, re-encryption and the dashboard all name it (never its URL).
      const ready = await callWorker("/readyz", {}, { DESTINATIONS_KEY: wrong });
      expect(ready.status).toBe(503);
      const readyText = await ready.text();
      // Every destination of this file is under the real key, so all of them are named.
      const named = /"destinations? ([\d, ]+) cannot be decrypted/.exec(readyText)?.[1]?.split(", ");
      expect(named).toContain(String(id));
      expect(readyText).not.toContain(receivers.ok);
      const listed = (await (await api("/api/destinations")).json()) as {
        destinations: { id: number; unreadable: boolean; unreadable_reason: string | null }[];
      };
      expect(listed.destinations.find((d) => d.id === id)).toMatchObject({
        unreadable: true,
        unreadable_reason: 'does not decrypt with key "k1"',
      });
      const reencrypted = await (await api("/api/destinations/reencrypt", { method: "POST" })).json();
      expect(reencrypted).toMatchObject({
        reencrypted: 0,
        unreadable: expect.arrayContaining([id]),
        remaining: 0,
      });
      const page = await (await dashboardPage(`/incidents/${waiting.id}`, await dashboardSession())).text();
      expect(page).toContain('id="destinations-unreadable"');
      expect(page).toMatch(new RegExp(`#${id} keyed hook: <small>does not decrypt with key &quot;k1&quot;`));
      expect(page).toContain("waiting for DESTINATIONS_KEY");
      expect(page).not.toContain(receivers.ok);
    } finally {
      setWorkerKey(right);
    }

    // The right key is back: "opened" goes out at its next look, then "resolved" after it.
    const arrived = await eventually(
      () => received(receivers.ok, path),
      (list) => list.length === 2,
      20_000,
    );
    expect(arrived.map((r) => (JSON.parse(r.body) as { type: string }).type)).toEqual([
      "incident.opened",
      "incident.resolved",
    ]);
    const sent = await eventually(
      () => incidentOf("notify/key"),
      (incident) => incident.notifications.every((n) => n.state === "delivered"),
      10_000,
    );
    // The receiver's schedule is whole: each went out at its first real attempt.
    expect(sent.notifications).toEqual([
      expect.objectContaining({ event: "opened", state: "delivered", attempts: 1, last_error: null }),
      expect.objectContaining({ event: "resolved", state: "delivered", attempts: 1 }),
    ]);
    const page = await (await dashboardPage(`/incidents/${sent.id}`, await dashboardSession())).text();
    expect(page).not.toContain('id="destinations-unreadable"');
  }, 60_000);
});

describe("waiting for DESTINATIONS_KEY", { tags: ["any-day"] }, () => {
  it("looks again on the retry schedule by time waited, keeps its last wait, and never waits over 5 minutes", () => {
    const schedule = parseSchedule(DEFAULT_SCHEDULE) ?? [];
    const at = (seconds: number) => keyWaitSeconds(schedule, seconds * 1000);
    expect([at(0), at(4), at(6), at(3600), at(7 * 86_400)]).toEqual([5, 5, 300, 300, 300]);
    expect(KEY_WAIT_MAX_SECONDS).toBe(300);
    // The tests' schedule: a look a second, however long the key stays wrong.
    expect([0, 2, 3, 60].map((s) => keyWaitSeconds([1, 1, 1], s * 1000))).toEqual([1, 1, 1, 1]);
    // A "0s" entry never turns into a loop.
    expect(keyWaitSeconds([0], 0)).toBe(1);
  });
});

describe("notifications and silences", () => {
  it("holds a silenced incident's notification, and sends it when the silence ends (the cron trigger)", async () => {
    const { source, finish, incidentOf } = await setup("notify: silenced");
    const path = "/notify-silenced";
    await createDestination({
      name: "held",
      kind: "webhook",
      url: `${receivers.ok}${path}`,
      match: { source_id: source.id },
    });
    const now = nowMs();
    const silence = await api(
      "/api/silences",
      json("POST", {
        match: { source_id: source.id },
        starts_at: new Date(now - 60_000).toISOString(),
        ends_at: new Date(now + 3_600_000).toISOString(),
        comment: "release freeze",
      }),
    );
    expect(silence.status).toBe(201);
    await finish("notify/held", 1, "FAILURE");
    const held = await eventually(
      () => incidentOf("notify/held"),
      (incident) => incident.notifications.length === 1,
      20_000,
    );
    expect(held.notifications[0]).toMatchObject({ event: "opened", state: "waiting", attempts: 0 });
    expect(await received(receivers.ok, path)).toEqual([]);

    // The cron trigger after the silence's end: un-silenced, then "opened" goes out.
    const ctx = createExecutionContext();
    const later = now + 2 * 3_600_000;
    await worker.scheduled(
      createScheduledController({ scheduledTime: later, cron: "*/5 * * * *" }),
      env,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    const [sent] = await eventually(
      () => received(receivers.ok, path),
      (list) => list.length === 1,
      20_000,
    );
    expect(JSON.parse(sent?.body ?? "{}")).toMatchObject({
      type: "incident.opened",
      incident: { silenced: false },
    });
  });
});

describe("escalations", () => {
  it("escalates an incident still open and unacknowledged escalate_after after opening, once", async () => {
    const { source, finish, incidentOf } = await setup("notify: escalate");
    const path = "/notify-escalate";
    await createDestination({
      name: "on call",
      kind: "webhook",
      url: `${receivers.ok}${path}`,
      match: { source_id: source.id },
      on: ["opened", "escalated"],
      escalate_after: "1m",
    });
    await finish("notify/escalate", 1, "FAILURE");
    await eventually(
      () => received(receivers.ok, path),
      (list) => list.length === 1,
      20_000,
    );

    const minute = async (at: number) => {
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ scheduledTime: at, cron: "* * * * *" }), env, ctx);
      await waitOnExecutionContext(ctx);
    };
    await minute(nowMs()); // not yet a minute old
    await minute(nowMs() + 2 * 60_000);
    await minute(nowMs() + 3 * 60_000); // once only
    const both = await eventually(
      () => received(receivers.ok, path),
      (list) => list.length === 2,
      20_000,
    );
    expect(both.map((r) => (JSON.parse(r.body) as { type: string }).type)).toEqual([
      "incident.opened",
      "incident.escalated",
    ]);
    const incident = await incidentOf("notify/escalate");
    expect(incident.notifications.map((n) => [n.event, n.state])).toEqual([
      ["opened", "delivered"],
      ["escalated", "delivered"],
    ]);
  });
});
