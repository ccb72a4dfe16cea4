/**
 * Every job URL a real Jenkins sends, through the real webhook, admin API and queue consumer: a build
 * ended from a view's page stays its job's alert, matrix configurations and Maven modules are shown,
 * filtered and matched under their Jenkins full names, and long URLs are stored, never refused.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { JOB_KEY_MAX, jobIdentity } from "../../src/core/job";
import worker from "../../src/index";
import { findJobs } from "../../src/jobs/search";
import { nowMs } from "../../src/platform/clock";
import { capturingQueue, failingD1 } from "../fault-bindings";
import { type AlertJson, api, buildPayload, createSource, deliver } from "../helpers";
import type { ApiIncident } from "../incidents/incident-source";

/** The plugin's payload for `url` (the job's, as `job.getUrl()` gave it), its run URL beside it. */
function sent(url: string, number: number, phase: string, status?: string) {
  const body = buildPayload({ job: "unused", number, phase, status });
  const build = body.build as Record<string, unknown>;
  return {
    ...body,
    url,
    build: { ...build, url: `${url}${number}/`, full_url: `https://ci.example.com/${url}${number}/` },
  };
}

async function source(name: string) {
  const { id, token } = await createSource(name);
  const send = async (url: string, number: number, phase: string, status?: string) => {
    const res = await deliver(sent(url, number, phase, status), { token });
    expect(res.status).toBe(200);
    return (await res.json()) as { alert_id: number };
  };
  const alerts = async (query = "") => {
    const res = await api(`/api/alerts?source_id=${id}${query}`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { alerts: AlertJson[] }).alerts;
  };
  const incidents = async () => {
    const res = await api(`/api/incidents?source_id=${id}`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { incidents: ApiIncident[] }).incidents;
  };
  return { id, token, send, alerts, incidents };
}

describe("a build ended from a page reached through a view", () => {
  it("stays one alert: QUEUED and STARTED via job/x-svc/, the FAILURE via view/Team/job/x-svc/, HIGH, with an incident", async () => {
    const { send, alerts, incidents } = await source("urls: view");
    await send("job/x-svc/", 7, "QUEUED");
    await send("job/x-svc/", 7, "STARTED");
    await send("view/Team/job/x-svc/", 7, "COMPLETED", "FAILURE");
    await send("view/Team/job/x-svc/", 7, "FINALIZED", "FAILURE");

    const listed = await alerts();
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      job: "x-svc",
      build_number: 7,
      phase: "FINALIZED",
      status: "FAILURE",
      priority: "HIGH",
      event_count: 4,
    });
    const opened = await incidents();
    expect(opened.map((i) => [i.job, i.state, i.priority, i.first_build])).toEqual([
      ["x-svc", "open", "HIGH", 7],
    ]);
  });

  it.each([
    ["nested views", "view/A/view/B/job/x-svc/", "job/x-svc/", "x-svc"],
    [
      "a folder's view",
      "job/web-shop/view/change-requests/job/PR-12/",
      "job/web-shop/job/PR-12/",
      "web-shop/PR-12",
    ],
    ["a user's my-views", "user/alice/my-views/view/all/job/x-svc/", "job/x-svc/", "x-svc"],
  ])("is the same job through %s", async (_, viewUrl, direct, job) => {
    const { send, alerts } = await source(`urls: ${viewUrl}`);
    await send(direct, 3, "STARTED");
    await send(viewUrl, 3, "FINALIZED", "FAILURE");
    const listed = await alerts();
    expect(listed.map((a) => [a.job, a.phase, a.priority])).toEqual([[job, "FINALIZED", "HIGH"]]);
  });
});

describe("matrix configurations and Maven modules", () => {
  const MATRIX = "job/ci/job/matrix/jdk=17,label=linux&&docker/";
  const MAVEN = "job/mvn-app/com.acme$core/";

  it("are stored, listed and filtered under their Jenkins full names", async () => {
    const { send, alerts } = await source("urls: matrix and maven");
    await send(MATRIX, 4, "FINALIZED", "FAILURE");
    await send(MAVEN, 9, "FINALIZED", "UNSTABLE");

    const matrix = await alerts(`&job=${encodeURIComponent("ci/matrix/jdk=17,label=linux&&docker")}`);
    expect(matrix.map((a) => [a.job, a.build_number, a.priority])).toEqual([
      ["ci/matrix/jdk=17,label=linux&&docker", 4, "HIGH"],
    ]);
    expect(matrix[0]?.title).toBe("ci/matrix/jdk=17,label=linux&&docker #4 FAILURE");
    const maven = await alerts(`&job=${encodeURIComponent("mvn-app/com.acme$core")}`);
    expect(maven.map((a) => [a.job, a.build_number, a.priority])).toEqual([
      ["mvn-app/com.acme$core", 9, "MEDIUM"],
    ]);
  });

  it("are matched by the source's policy globs and found by job search", async () => {
    const { id, send, incidents } = await source("urls: matrix policy");
    const policy = { jobs: { include: ["ci/matrix/jdk=17,*", "mvn-app/*$core"] } };
    const patched = await api(`/api/sources/${id}`, {
      method: "PATCH",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ policy }),
    });
    expect(patched.status).toBe(200);
    await send(MATRIX, 1, "FINALIZED", "FAILURE");
    await send("job/ci/job/matrix/jdk=21,label=linux&&docker/", 1, "FINALIZED", "FAILURE"); // not kept
    await send(MAVEN, 1, "FINALIZED", "FAILURE");
    await send("job/mvn-app/com.acme$web/", 1, "FINALIZED", "FAILURE"); // not kept

    expect((await incidents()).map((i) => i.job).sort()).toEqual([
      "ci/matrix/jdk=17,label=linux&&docker",
      "mvn-app/com.acme$core",
    ]);
    const found = await findJobs(env.DB, "com.acme$core", 50);
    expect(found).toContainEqual({ source_id: id, job: "mvn-app/com.acme$core" });
    const axes = await findJobs(env.DB, "jdk=17,label=linux&&docker", 50);
    expect(axes).toContainEqual({ source_id: id, job: "ci/matrix/jdk=17,label=linux&&docker" });
  });
  it("are silenced by a silence's job glob and filtered by the incidents' job filter", async () => {
    const { id, send, incidents } = await source("urls: matrix silence");
    const now = nowMs(); // a window around whatever instant the Worker's clock reads
    const created = await api("/api/silences", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({
        match: { source_id: id, job: "ci/matrix/*label=linux&&docker" },
        starts_at: new Date(now - 60_000).toISOString(),
        ends_at: new Date(now + 3_600_000).toISOString(),
        comment: "agents upgrade",
      }),
    });
    expect(created.status).toBe(201);
    await send(MATRIX, 2, "FINALIZED", "FAILURE");
    await send(MAVEN, 2, "FINALIZED", "FAILURE");
    expect((await incidents()).map((i) => [i.job, i.silenced]).sort()).toEqual([
      ["ci/matrix/jdk=17,label=linux&&docker", true],
      ["mvn-app/com.acme$core", false],
    ]);
    const res = await api(
      `/api/incidents?source_id=${id}&job=${encodeURIComponent("mvn-app/com.acme$core")}`,
    );
    const filtered = ((await res.json()) as { incidents: ApiIncident[] }).incidents;
    expect(filtered.map((i) => i.job)).toEqual(["mvn-app/com.acme$core"]);
  });
});

describe("long job URLs", () => {
  /** Six folders of 85 CJK characters (4,620 characters of URL) and a leaf. */
  const cjk = (leaf: string) =>
    `${Array.from({ length: 6 }, (_, i) => `job/${encodeURIComponent(`${i}${"構".repeat(84)}`)}/`).join("")}job/${leaf}/`;

  it("stores a URL over 4,096 characters, and two that differ only at the end stay two alerts", async () => {
    const { send, alerts } = await source("urls: cjk");
    expect(cjk("a").length).toBeGreaterThan(4096);
    const a = await send(cjk("a"), 1, "FINALIZED", "FAILURE");
    const b = await send(cjk("b"), 1, "FINALIZED", "FAILURE");
    expect(a.alert_id).not.toBe(b.alert_id);
    const jobs = (await alerts()).map((alert) => alert.job);
    expect(jobs).toHaveLength(2);
    expect(jobs.map((job) => job.split("/").at(-1)).sort()).toEqual(["a", "b"]);
    expect(jobs[0]?.startsWith(`0${"構".repeat(84)}/1`)).toBe(true);
  });

  /** Twenty folders of 250 characters: a full name of 5,000 characters. */
  const deep = (leaf: string) =>
    `${Array.from({ length: 20 }, (_, i) => `job/${`f${i}-`.padEnd(249, "x")}/`).join("")}job/${leaf}/`;

  it("stores a full name over 4,000 bytes under a bounded key, distinct from its neighbour", async () => {
    const { send, alerts } = await source("urls: deep");
    const a = await send(deep("a"), 1, "FINALIZED", "FAILURE");
    const b = await send(deep("b"), 1, "FINALIZED", "FAILURE");
    await send(deep("a"), 2, "FINALIZED", "FAILURE");
    expect(a.alert_id).not.toBe(b.alert_id);
    const listed = await alerts();
    expect(listed).toHaveLength(3);
    const keys = new Set(listed.map((alert) => alert.job));
    expect(keys.size).toBe(2);
    for (const key of keys) {
      expect(key.length).toBeLessThanOrEqual(JOB_KEY_MAX);
      expect(key).toMatch(/^f0-x+\/f1-.*…[0-9a-f]{64}$/);
      // The API's job filter takes the key as shown.
      expect(await alerts(`&job=${encodeURIComponent(key)}`)).not.toHaveLength(0);
    }
  });

  it("keeps the job of a URL over 16 KiB when the delivery goes through the queue", async () => {
    const { id, token, alerts } = await source("urls: queued");
    const folder = encodeURIComponent("長".repeat(200)); // 1,800 characters a level
    const url = `${Array.from({ length: 10 }, () => `job/${folder}/`).join("")}job/leaf/`;
    expect(url.length).toBeGreaterThan(16 * 1024);
    const { db } = failingD1(env.DB, Number.POSITIVE_INFINITY);
    const { queue, sent: messages } = capturingQueue();
    const res = await deliver(sent(url, 5, "FINALIZED", "FAILURE"), {
      token,
      env: { DB: db, EVENTS_QUEUE: queue },
    });
    expect(res.status).toBe(202);
    const [message] = messages as { body: string }[];
    expect(message?.body.length).toBeLessThanOrEqual(64 * 1024);
    expect(JSON.parse(message?.body ?? "{}")).toMatchObject({
      itoc360_truncated: expect.arrayContaining(["url"]),
    });

    const ctx = createExecutionContext();
    const batch = createMessageBatch("itoc360-jenkins-events", [
      { id: "m0", timestamp: new Date(), attempts: 1, body: message },
    ]);
    await worker.queue(batch as MessageBatch<never>, env);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["m0"]);

    // The key the webhook derived, carried beside the cut url.
    const identity = jobIdentity(url);
    expect(JSON.parse(message?.body ?? "{}").itoc360_job).toBe(identity.ok && identity.key);
    expect(identity.ok && identity.fullName).toBe(`${Array(10).fill("長".repeat(200)).join("/")}/leaf`);
    expect((await alerts()).map((alert) => [alert.job, alert.source_id])).toEqual([
      [identity.ok && identity.key, id],
    ]);
  });
});

describe("a sender's own itoc360_ notes", () => {
  it("are never read back from the queue: the job stays the one its url names", async () => {
    const { token, alerts } = await source("urls: forged notes");
    const { db } = failingD1(env.DB, Number.POSITIVE_INFINITY);
    const { queue, sent: messages } = capturingQueue();
    const forged = { ...sent("job/real/", 1, "FINALIZED", "FAILURE"), itoc360_job: "someone/else" };
    const res = await deliver(forged, { token, env: { DB: db, EVENTS_QUEUE: queue } });
    expect(res.status).toBe(202);
    const [message] = messages as { body: string }[];
    expect(JSON.parse(message?.body ?? "{}")).not.toHaveProperty("itoc360_job");

    const ctx = createExecutionContext();
    const batch = createMessageBatch("itoc360-jenkins-events", [
      { id: "m0", timestamp: new Date(), attempts: 1, body: message },
    ]);
    await worker.queue(batch as MessageBatch<never>, env);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["m0"]);
    expect((await alerts()).map((alert) => alert.job)).toEqual(["real"]);
  });
});

describe("a url naming no job", () => {
  it.each([
    ["view/Team/", "a view"],
    ["job/folder/view/all/", "a folder's view"],
    ["job/acme%2Fweb/", "an encoded slash"],
  ])("is refused with a problem naming url and saying why: %s (%s)", async (url) => {
    const { token, alerts } = await source(`urls: refused ${url}`);
    const res = await deliver(sent(url, 1, "FINALIZED", "FAILURE"), { token });
    expect(res.status).toBe(400);
    expect(res.headers.get("Content-Type")).toContain("application/problem+json");
    const problem = (await res.json()) as { errors: { path: string; message: string }[] };
    expect(problem.errors).toEqual([{ path: "url", message: expect.stringMatching(/^expected /) }]);
    expect(await alerts()).toEqual([]);
  });
});
