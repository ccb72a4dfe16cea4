import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { api, buildPayload, createSource, deliver, eventually, getAlert } from "../helpers";
import { logsOfEachTest } from "../logs";

// For the whole file: the queue consumer stores deferred deliveries in the background, between tests.
const logs = logsOfEachTest();

let token: string;
let sourceId: string;

beforeAll(async () => {
  ({ token, id: sourceId } = await createSource("Jenkins (ci.example.com)"));
});

async function post(spec: Parameters<typeof buildPayload>[0]) {
  const res = await deliver(buildPayload(spec), { token });
  expect(res.status).toBe(200);
  return (await res.json()) as { alert_id: number; kind: string; priority: string; duplicate: boolean };
}

describe("POST /webhooks/jenkins", () => {
  it("stores a failing build as a HIGH alert with its source and provider", async () => {
    const job = "store/failing";
    const ack = await post({ job, number: 129, phase: "COMPLETED", status: "FAILURE" });
    expect(ack).toMatchObject({ kind: "ALERT", priority: "HIGH", duplicate: false });

    const alert = await getAlert(ack.alert_id);
    expect(alert).toMatchObject({
      source_id: sourceId,
      source_name: "Jenkins (ci.example.com)",
      provider: "jenkins",
      job,
      build_number: 129,
      build_url: "https://ci.example.com/job/store/job/failing/129/",
      phase: "COMPLETED",
      status: "FAILURE",
      kind: "ALERT",
      priority: "HIGH",
      title: "store/failing #129 FAILURE",
      event_count: 1,
    });
    expect(alert.events).toHaveLength(1);
  });

  it("resolves the alert when the build finalizes with SUCCESS", async () => {
    const job = "store/green";
    for (const phase of ["QUEUED", "STARTED"]) await post({ job, number: 7, phase });
    await post({ job, number: 7, phase: "COMPLETED", status: "SUCCESS" });
    const ack = await post({ job, number: 7, phase: "FINALIZED", status: "SUCCESS" });
    expect(ack).toMatchObject({ kind: "RESOLVE", priority: "LOW" });

    const alert = await getAlert(ack.alert_id);
    expect(alert).toMatchObject({ phase: "FINALIZED", status: "SUCCESS", kind: "RESOLVE", event_count: 4 });
    expect(alert.events.map((e) => e.phase)).toEqual(["QUEUED", "STARTED", "COMPLETED", "FINALIZED"]);
  });

  it("keeps one alert per job and build number", async () => {
    const a = await post({ job: "store/pair", number: 1, phase: "STARTED" });
    const b = await post({ job: "store/pair", number: 2, phase: "STARTED" });
    const c = await post({ job: "other-folder/pair", number: 1, phase: "STARTED" });
    expect(new Set([a.alert_id, b.alert_id, c.alert_id]).size).toBe(3);
  });

  it("tells folders and multibranch branches with the same leaf name apart", async () => {
    const a = await post({ job: "acme/web-shop/feature%2Flogin", number: 3 });
    const b = await post({ job: "acme/api/feature%2Flogin", number: 3 });
    expect(a.alert_id).not.toBe(b.alert_id);
    expect((await getAlert(a.alert_id)).job).toBe("acme/web-shop/feature%2Flogin");
  });

  it("stores unicode names as sent", async () => {
    const ack = await post({ job: "Équipe Ω/déploiement 🚀", number: 5, displayName: "déploiement 🚀" });
    expect(await getAlert(ack.alert_id)).toMatchObject({
      job: "Équipe Ω/déploiement 🚀",
      job_display_name: "déploiement 🚀",
    });
  });

  it("stores the same delivery once and says it was a duplicate", async () => {
    const spec = { job: "store/dup", number: 11, phase: "COMPLETED", status: "UNSTABLE" };
    const first = await post(spec);
    const again = await post(spec);
    expect(first.duplicate).toBe(false);
    expect(again).toEqual({ ...first, duplicate: true });
    const alert = await getAlert(first.alert_id);
    expect(alert.event_count).toBe(1);
    expect(alert.events).toHaveLength(1);
  });

  it("records a repeated phase with another timestamp as a new event", async () => {
    const first = await post({ job: "store/manual", number: 2, phase: "NONE", timestamp: 1 });
    const second = await post({ job: "store/manual", number: 2, phase: "NONE", timestamp: 2 });
    expect(second.duplicate).toBe(false);
    expect((await getAlert(first.alert_id)).event_count).toBe(2);
  });

  it("never moves an alert backwards when an earlier phase arrives late", async () => {
    const job = "store/out-of-order";
    const done = await post({ job, number: 4, phase: "FINALIZED", status: "FAILURE" });
    await post({ job, number: 4, phase: "STARTED" });
    await post({ job, number: 4, phase: "QUEUED" });
    const alert = await getAlert(done.alert_id);
    expect(alert).toMatchObject({ phase: "FINALIZED", status: "FAILURE", priority: "HIGH", event_count: 3 });
    expect(alert.events.map((e) => e.phase)).toEqual(["FINALIZED", "STARTED", "QUEUED"]);
  });

  it("does not let a manual NONE send move a running build", async () => {
    const job = "store/none";
    const started = await post({ job, number: 9, phase: "STARTED" });
    await post({ job, number: 9, phase: "NONE", status: "UNSTABLE" });
    expect(await getAlert(started.alert_id)).toMatchObject({
      phase: "STARTED",
      status: null,
      event_count: 2,
    });
  });

  it("keeps a FINALIZED build without status an ALERT", async () => {
    const ack = await post({ job: "store/no-status", number: 1, phase: "FINALIZED" });
    expect(ack).toMatchObject({ kind: "ALERT", priority: "LOW" });
  });

  it("ends in the right state after 20 concurrent deliveries of one build's phases", async () => {
    const job = "store/concurrent";
    const phases = [
      { phase: "QUEUED" },
      { phase: "STARTED" },
      { phase: "COMPLETED", status: "FAILURE" },
      { phase: "FINALIZED", status: "FAILURE" },
    ];
    // Five copies of each phase, interleaved, all in flight at once.
    const deliveries = Array.from({ length: 20 }, (_, i) => phases[(i * 3) % 4]);
    let deferred = 0;
    const acks = await Promise.all(
      deliveries.map(async (p) => {
        const res = await deliver(buildPayload({ job, number: 77, ...p }), { token });
        expect([200, 202]).toContain(res.status);
        if (res.status === 202) deferred += 1;
        return (await res.json()) as { alert_id: number | null; duplicate: boolean | null };
      }),
    );

    // Past this isolate's in-flight limit, deliveries are deferred to the queue (202), not refused.
    const stored = acks.filter((a) => a.alert_id !== null);
    expect(new Set(stored.map((a) => a.alert_id)).size).toBe(1);
    expect(stored.filter((a) => !a.duplicate).length).toBeLessThanOrEqual(4);
    const alertId = await eventually(
      async () =>
        await env.DB.prepare("SELECT id, event_count FROM alerts WHERE job = ?1")
          .bind(job)
          .first<{ id: number; event_count: number }>(),
      (row) => row?.event_count === 4,
    );
    const alert = await getAlert(alertId?.id ?? 0);
    expect(alert).toMatchObject({ phase: "FINALIZED", status: "FAILURE", priority: "HIGH", event_count: 4 });
    expect(alert.events).toHaveLength(4);
    expect(logs.named("delivery_deferred")).toEqual(
      Array(deferred).fill(expect.objectContaining({ status: 202, problem: "busy", source_id: sourceId })),
    );
    // The consumer takes every deferred copy: the first of each phase stored, the rest as duplicates.
    const taken = await eventually(
      async () => logs.named("queued_delivery_stored").length,
      (n) => n === deferred,
    );
    expect(taken).toBe(deferred);
  });

  it("keeps the body as received in the timeline", async () => {
    const body = buildPayload({ job: "store/raw", number: 1, extra: { unknown_field: { kept: true } } });
    const res = await deliver(body, { token });
    const { alert_id } = (await res.json()) as { alert_id: number };
    const [event] = (await getAlert(alert_id)).events;
    expect(event?.payload).toEqual(body);
    expect(event?.body_truncated).toBe(false);
  });

  it("cuts a huge build.log to its tail and flags the event", async () => {
    const log = `${"line\n".repeat(20_000)}Finished: FAILURE`;
    const res = await deliver(
      buildPayload({
        job: "store/huge-log",
        number: 1,
        phase: "FINALIZED",
        status: "FAILURE",
        extra: { log },
      }),
      { token },
    );
    const { alert_id } = (await res.json()) as { alert_id: number };
    const [event] = (await getAlert(alert_id)).events as {
      payload: { build: { log: string } };
      body_truncated: boolean;
    }[];
    expect(event?.body_truncated).toBe(true);
    expect(event?.payload.build.log.endsWith("Finished: FAILURE")).toBe(true);
    expect(event?.payload.build.log.length).toBeLessThanOrEqual(32 * 1024);
  });
});

describe("where the token and the request may come from", () => {
  const body = (number: number) => buildPayload({ job: "auth/variants", number });

  it.each([
    ["?token= on /webhooks/jenkins", (t: string) => deliver(body(1), { token: t })],
    [
      "?token= on /functions/v1/integrations",
      (t: string) => deliver(body(2), { token: t, path: "/functions/v1/integrations" }),
    ],
    ["Authorization: Bearer", (t: string) => deliver(body(3), { headers: { Authorization: `Bearer ${t}` } })],
    ["X-ITOC360-Token", (t: string) => deliver(body(4), { headers: { "X-ITOC360-Token": t } })],
    [
      "the Basic-auth password",
      (t: string) => deliver(body(5), { headers: { Authorization: `Basic ${btoa(`jenkins:${t}`)}` } }),
    ],
  ])("accepts the token from %s", async (_, send) => {
    const res = await send(token);
    expect(res.status).toBe(200);
  });

  it.each(["application/json", "APPLICATION/JSON; charset=utf-8", "application/json ; charset=UTF-8"])(
    "accepts the media type %s",
    async (contentType) => {
      const res = await deliver(buildPayload({ job: "auth/media", number: 1 }), { token, contentType });
      expect(res.status).toBe(200);
    },
  );

  it("answers JSON that is neither cached nor sniffed", async () => {
    const res = await deliver(buildPayload({ job: "auth/headers", number: 1 }), { token });
    expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(res.headers.get("Access-Control-Allow-Origin")).toBeNull();
  });
});

describe("GET /healthz", () => {
  it("answers 200", async () => {
    const res = await api("/healthz", { headers: {} });
    expect(res.status).toBe(200);
  });
});
