/**
 * Isolation: a receiver that accepts the connection and never answers, and one that answers after 10 s,
 * delay nobody else. Incidents opened through the real webhook are routed by the real NOTIFY_QUEUE
 * consumer and sent by their destinations' senders (Durable Objects) to real receivers on loopback
 * (scripts/lib/receivers-setup.ts). Asserted: completeness, order per incident and destination, Slack's
 * pacing; the delays are measured and logged (docs/performance.md), never asserted.
 */
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { receivedAt } from "../../fixtures/receivers.ts";
import { api, eventually } from "../helpers";
import { incidentSource as setup } from "../incidents/incident-source";

const receivers = inject("receivers");

/**
 * Incidents opened, one about every OPEN_EVERY_MS (Slack's pace is one message a second): half a minute,
 * two of the hung receiver's 15 s timeouts and three of the slow one's answers.
 */
const INCIDENTS = 25;
const OPEN_EVERY_MS = 1_200;
/** Every fifth incident is also resolved at once: its "resolved" must follow its "opened". */
const RESOLVED_EVERY = 5;

const received = receivedAt;

const job = (n: number) => `iso-${String(n).padStart(2, "0")}`;
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Which incident (its job) and event a message is about, for Slack and webhook bodies alike. */
function about(body: string): { job: string; event: "opened" | "resolved" } {
  const found = /iso-\d\d/.exec(body)?.[0] ?? "";
  const event = /incident\.resolved|Incident resolved/.test(body) ? "resolved" : "opened";
  return { job: found, event };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;

describe("notification isolation", () => {
  it("delivers 25 incidents to healthy destinations in order while one receiver hangs and one is slow", async () => {
    const { source, finish } = await setup("isolation");
    const paths = { hung: "/iso-hung", slow: "/iso-slow", slack: "/iso-slack", webhook: "/iso-webhook" };
    const targets = [
      { name: "hung", kind: "webhook", url: `${receivers.hung}${paths.hung}` },
      { name: "slow", kind: "webhook", url: `${receivers.slow}${paths.slow}` },
      { name: "slack", kind: "slack", url: `${receivers.ok}${paths.slack}` },
      { name: "webhook", kind: "webhook", url: `${receivers.ok}${paths.webhook}` },
    ];
    for (const target of targets) {
      const res = await api("/api/destinations", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ ...target, match: { source_id: source.id } }),
      });
      expect(res.status).toBe(201);
    }

    for (let n = 1; n <= INCIDENTS; n++) {
      const started = Date.now();
      await finish(job(n), 1, "FAILURE");
      if (n % RESOLVED_EVERY === 0) await finish(job(n), 2, "SUCCESS");
      await sleep(Math.max(0, OPEN_EVERY_MS - (Date.now() - started)));
    }
    const expected = INCIDENTS + INCIDENTS / RESOLVED_EVERY;
    const healthy = await Promise.all(
      [paths.slack, paths.webhook].map((path) =>
        eventually(
          () => received(receivers.ok, path),
          (list) => list.length >= expected,
          60_000,
        ),
      ),
    );

    const { results: opened } = await env.DB.prepare(
      "SELECT job, opened_at FROM incidents WHERE source_id = ?1",
    )
      .bind(source.id)
      .all<{ job: string; opened_at: string }>();
    const openedAt = new Map(opened.map((row) => [row.job, Date.parse(row.opened_at)]));
    const measured: Record<string, unknown> = {};
    for (const [name, list] of [
      ["slack", healthy[0] ?? []],
      ["webhook", healthy[1] ?? []],
    ] as const) {
      const messages = list.map((arrival) => ({ ...about(arrival.body), at: Date.parse(arrival.at) }));
      // Every incident exactly once, every resolved one once more, each "resolved" after its "opened".
      const keys = messages.map((m) => `${m.job} ${m.event}`);
      expect(new Set(keys).size, name).toBe(expected);
      expect(
        messages
          .filter((m) => m.event === "opened")
          .map((m) => m.job)
          .sort(),
        name,
      ).toEqual([...openedAt.keys()].sort());
      for (const m of messages.filter((message) => message.event === "resolved")) {
        expect(keys.indexOf(`${m.job} opened`), `${name} ${m.job}`).toBeLessThan(
          keys.indexOf(`${m.job} resolved`),
        );
      }
      const delays = messages
        .filter((m) => m.event === "opened")
        .map((m) => (m.at - (openedAt.get(m.job) as number)) / 1000)
        .sort((a, b) => a - b);
      const gaps = messages.slice(1).map((m, i) => m.at - (messages[i] as { at: number }).at);
      measured[name] = {
        median_s: percentile(delays, 50),
        p90_s: percentile(delays, 90),
        max_s: delays.at(-1),
        min_gap_ms: Math.min(...gaps),
      };
      // Slack's pace (one a second per webhook) still holds; the margin absorbs loopback jitter.
      if (name === "slack") expect(Math.min(...gaps)).toBeGreaterThanOrEqual(500);
    }
    // The hung and slow receivers were really in the path.
    const hung = await received(receivers.hung, paths.hung);
    const slow = await received(receivers.slow, paths.slow);
    expect(hung.length).toBeGreaterThan(0);
    expect(slow.length).toBeGreaterThan(0);
    measured.hung_requests = hung.length;
    measured.slow_requests = slow.length;
    console.log(JSON.stringify({ event: "isolation_measured", incidents: INCIDENTS, ...measured }));
  }, 240_000);
});
