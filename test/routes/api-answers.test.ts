/**
 * Real answers of every /api route, through the Worker, match what GET /api/openapi.json documents
 * for their status: the content type, the response schema (src/routes/schemas.ts) and no field the
 * schema does not name. The schemas' types are held to the models they describe.
 */
import * as v from "valibot";
import { afterEach, beforeAll, describe, expect, expectTypeOf, it, vi } from "vitest";
import type { Alert, AlertEvent } from "../../src/alerts/store";
import type { toApiAlert } from "../../src/alerts/view";
import type { Incident, IncidentEvent } from "../../src/incidents/store";
import type { Job } from "../../src/jobs/store";
import type { toApiDestination } from "../../src/notify/destinations/view";
import { nowIso, nowMs } from "../../src/platform/clock";
import type * as destinationAnswers from "../../src/routes/destinations-schemas";
import type * as incidentAnswers from "../../src/routes/incidents-schemas";
import { adminApi } from "../../src/routes/openapi";
import type * as answers from "../../src/routes/schemas";
import type { SilenceSchema } from "../../src/routes/silences-schemas";
import type { SilenceView } from "../../src/silences/rules";
import type { SourceRecord } from "../../src/sources/model";
import type { Policy } from "../../src/sources/policy";
import type { SourceStats } from "../../src/sources/stats";
import { api, buildPayload, createSource, deliver, eventually, toPluginXml, XML_TYPE } from "../helpers";

type Documented = Record<string, { content?: Record<string, { schema?: { $ref: string } }>; $ref?: string }>;
interface Doc {
  paths: Record<string, Record<string, { responses: Documented }>>;
  components: { responses: Documented };
}

let doc: Doc;

beforeAll(async () => {
  doc = await (await api("/api/openapi.json")).json();
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** Sends a delivery the Worker rejects, expecting its log line (and keeping it out of the output). */
async function rejected(send: () => Promise<Response>, status: number) {
  const log = vi.spyOn(console, "log").mockImplementation(() => {});
  expect((await send()).status).toBe(status);
  expect(log).toHaveBeenCalledWith(expect.stringContaining(`"delivery_rejected","status":${status}`));
}

/** Object keys in `value` that `schema` (a valibot schema, walked by its parts) does not name. */
function undocumentedKeys(schema: unknown, value: unknown, path = "$"): string[] {
  const node = schema as {
    type: string;
    wrapped?: unknown;
    item?: unknown;
    entries?: Record<string, unknown>;
  };
  if (value === null || value === undefined) return [];
  if (node.wrapped) return undocumentedKeys(node.wrapped, value, path);
  if (node.type === "array" && Array.isArray(value))
    return value.flatMap((item, i) => undocumentedKeys(node.item, item, `${path}[${i}]`));
  if (node.type !== "object" || !node.entries || typeof value !== "object") return [];
  const entries = node.entries;
  return Object.entries(value).flatMap(([key, inner]) =>
    entries[key] ? undocumentedKeys(entries[key], inner, `${path}.${key}`) : [`${path}.${key}`],
  );
}

/**
 * Sends `operation` ("get /api/sources/{id}") to `url` and checks the answer against the document's
 * for its status; returns the parsed body.
 */
async function documented(
  operation: string,
  url: string,
  init: RequestInit = {},
): Promise<Record<string, unknown>> {
  const [method = "", path = ""] = operation.split(" ");
  const res = await api(url, { ...init, method: method.toUpperCase() });
  let answer = doc.paths[path]?.[method]?.responses[res.status];
  expect(answer, `${method} ${path} answered ${res.status}`).toBeDefined();
  if (answer?.$ref) answer = doc.components.responses[answer.$ref.split("/").at(-1) ?? ""];
  const [type, media] = Object.entries(answer?.content ?? {})[0] ?? [];
  if (!type) {
    expect(await res.text()).toBe("");
    return {};
  }
  expect(res.headers.get("Content-Type")?.split(";")[0]).toBe(type);
  const schema = adminApi.schemas[media?.schema?.$ref.split("/").at(-1) ?? ""];
  if (!schema) throw new Error(`${method} ${path} ${res.status}: no schema documented`);
  const body = await res.json();
  const parsed = v.safeParse(schema, body);
  expect(parsed.issues?.map((issue) => `${v.getDotPath(issue)}: ${issue.message}`) ?? []).toEqual([]);
  expect(undocumentedKeys(schema, body)).toEqual([]);
  return body as Record<string, unknown>;
}

const json = (body: unknown): RequestInit => ({
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify(body),
});

describe("the answers of /api", () => {
  it("sources: created, listed, shown with counters, changed, revoked", async () => {
    const created = await documented("post /api/sources", "/api/sources", json({ name: "answers" }));
    const id = created.id as string;
    const one = `/api/sources/${id}`;
    expect(created.token).toEqual(expect.any(String));

    // A rejection with the source's token, so its counters carry a last_rejection.
    await rejected(() => deliver({ name: "no build" }, { token: created.token as string }), 400);
    const counted = await eventually(
      () => api(one).then((res) => res.json<{ stats: SourceStats }>()),
      (source) => source.stats.last_rejection !== null,
    );
    expect(counted.stats.last_rejection).not.toBeNull();
    await documented("get /api/sources/{id}", one);
    await documented("get /api/sources", "/api/sources");
    await documented("patch /api/sources/{id}", one, json({ quiet_lifecycle: true }));
    const policy = { branches: { include: ["main"] }, silent_after: "6h" };
    await documented("patch /api/sources/{id}", one, json({ policy }));
    await documented("patch /api/sources/{id}", one, json({ policy: { silent_after: "1m" } }));
    const rotated = await documented("post /api/sources/{id}/rotate", `${one}/rotate`, json({ grace: "1h" }));
    expect(rotated.tokens).toEqual([{ current: true }, { current: false, expires_at: expect.any(String) }]);
    await documented("get /api/sources/{id}", one);
    await documented("delete /api/sources/{id}", one);
    const revoked = await documented("get /api/sources/{id}", one);
    expect(revoked).toMatchObject({ disabled: true, revoked_at: expect.any(String) });
  });

  it("alerts and jobs: pages with a next_cursor, an alert with JSON and XML events", async () => {
    const { id: sourceId, token } = await createSource("answers-builds");
    const context = {
      duration: 90_000,
      scm: { branch: "main", commit: "abc123", culprits: ["alice"], changes: ["a.ts"] },
      test_summary: { total: 3, failed: 1, passed: 2, skipped: 0, failed_tests: ["t1"] },
    };
    const build = (number: number, phase: string, status?: string) =>
      buildPayload({ job: "answers/app", number, phase, status, extra: context });
    await deliver(build(1, "STARTED"), { token });
    await deliver(toPluginXml(build(1, "COMPLETED", "FAILURE")), { token, contentType: XML_TYPE });
    await deliver(build(2, "FINALIZED", "SUCCESS"), { token });
    // And one with every build field still null.
    await deliver(buildPayload({ job: "answers/bare", number: 1, phase: "QUEUED" }), { token });

    const list = `/api/alerts?source_id=${sourceId}`;
    const first = await documented("get /api/alerts", `${list}&limit=1`);
    expect(first.next_cursor).toEqual(expect.any(String));
    await documented("get /api/alerts", `${list}&cursor=${first.next_cursor}`);
    const alerts = (await documented("get /api/alerts", list)).alerts as Alert[];
    expect(alerts.map((alert) => alert.state)).toEqual(["open", "resolved", "resolved"]);
    expect(alerts[0]).toMatchObject({ status: null, commit: null, test_summary: null, resolved_at: null });
    for (const alert of alerts) {
      const shown = await documented("get /api/alerts/{id}", `/api/alerts/${alert.id}`);
      expect((shown.events as unknown[]).length).toBe(alert.event_count);
    }

    const jobs = await documented("get /api/jobs", `/api/jobs?source_id=${sourceId}`);
    expect(jobs.jobs).toHaveLength(2);
    await documented("get /api/jobs", "/api/jobs?limit=1");
  });

  it("incidents: a page, one with its timeline, acknowledged and resolved by hand", async () => {
    const { id: sourceId, token } = await createSource("answers-incidents");
    for (const number of [1, 2])
      await deliver(buildPayload({ job: "answers/broken", number, phase: "FINALIZED", status: "FAILURE" }), {
        token,
      });
    await deliver(buildPayload({ job: "answers/other", number: 1, phase: "COMPLETED", status: "UNSTABLE" }), {
      token,
    });
    const list = `/api/incidents?source_id=${sourceId}`;
    const first = await documented("get /api/incidents", `${list}&limit=1`);
    expect(first.next_cursor).toEqual(expect.any(String));
    const { incidents } = await documented("get /api/incidents", `${list}&cursor=${first.next_cursor}`);
    const id = (incidents as { id: number }[])[0]?.id;
    await documented("get /api/incidents/{id}", `/api/incidents/${id}`);
    await documented(
      "post /api/incidents/{id}/acknowledge",
      `/api/incidents/${id}/acknowledge`,
      json({ by: "Ada" }),
    );
    const resolved = await documented(
      "post /api/incidents/{id}/resolve",
      `/api/incidents/${id}/resolve`,
      json({ by: "Ada", note: "fixed the runner" }),
    );
    expect((resolved.timeline as unknown[]).length).toBe(4); // opened, joined, acknowledged, resolved
    await documented("get /api/incidents/{id}", "/api/incidents/99999999");
    await documented("post /api/incidents/{id}/resolve", `/api/incidents/${id}/resolve`, json({ note: 1 }));
  });

  it("a job and its heartbeat: shown, set by hand, off, learning again, and their problems", async () => {
    const { id: sourceId, token } = await createSource("answers-heartbeat");
    await deliver(buildPayload({ job: "answers/beat", number: 1, phase: "STARTED" }), { token });
    const { jobs } = (await documented("get /api/jobs", `/api/jobs?source_id=${sourceId}`)) as {
      jobs: { id: number }[];
    };
    const one = `/api/jobs/${jobs[0]?.id}`;
    await documented("get /api/jobs/{id}", one);
    await documented("get /api/jobs/{id}/history", `${one}/history`);
    await documented("get /api/jobs/{id}/history", "/api/jobs/99999999/history");
    const set = await documented(
      "put /api/jobs/{id}/heartbeat",
      `${one}/heartbeat`,
      json({ every: "1d", grace: "2h" }),
    );
    expect(set.heartbeat).toMatchObject({ mode: "manual", every: 86_400_000, grace: 7_200_000 });
    await documented("put /api/jobs/{id}/heartbeat", `${one}/heartbeat`, json({ off: true }));
    await documented("delete /api/jobs/{id}/heartbeat", `${one}/heartbeat`);
    await documented("put /api/jobs/{id}/heartbeat", `${one}/heartbeat`, json({ every: "1s" }));
    await documented("put /api/jobs/{id}/heartbeat", "/api/jobs/99999999/heartbeat", json({ off: true }));
    await documented("delete /api/jobs/{id}/heartbeat", "/api/jobs/x/heartbeat");
    await documented("get /api/jobs/{id}", "/api/jobs/99999999");
  });

  it("destinations: created with a secret, listed, shown, changed, tested, re-encrypted, deleted", async () => {
    const created = await documented(
      "post /api/destinations",
      "/api/destinations",
      json({ name: "answers", kind: "webhook", url: "https://hooks.example.com/x", match: { job: "a/**" } }),
    );
    const one = `/api/destinations/${created.id}`;
    expect(created.secret).toEqual(expect.any(String));
    await documented("get /api/destinations", "/api/destinations");
    await documented("get /api/destinations/{id}", one);
    const changed = json({ on: ["opened", "escalated"], escalate_after: "30m", disabled: true });
    await documented("patch /api/destinations/{id}", one, changed);
    // A loopback destination (allowed when created), tested where the rules refuse it: nothing is sent.
    const local = await api(
      "/api/destinations",
      { method: "POST", ...json({ name: "local", kind: "slack", url: "http://127.0.0.1:9/x" }) },
      { ALLOW_PRIVATE_DESTINATIONS: "true" },
    );
    const { id: localId } = await local.json<{ id: number }>();
    const tested = await documented("post /api/destinations/{id}/test", `/api/destinations/${localId}/test`);
    // Nothing listens on port 9: no answer.
    expect(tested).toMatchObject({ status: null, ok: false, error: "network" });
    await documented("post /api/destinations/reencrypt", "/api/destinations/reencrypt");
    await documented("delete /api/destinations/{id}", one);
    await documented("get /api/destinations/{id}", one);
    await documented(
      "post /api/destinations",
      "/api/destinations",
      json({ name: "x", kind: "slack", url: "http://a" }),
    );
  });

  it("flaky tests: a page of them, and a bad filter", async () => {
    const { id: sourceId, token } = await createSource("answers-flaky");
    const build = (number: number, failed: string[]) =>
      buildPayload({
        job: "answers/flaky",
        number,
        phase: "COMPLETED",
        status: failed.length ? "UNSTABLE" : "SUCCESS",
        extra: {
          scm: { commit: "abc123", changes: [] },
          test_summary: {
            total: 3,
            failed: failed.length,
            passed: 3 - failed.length,
            skipped: 0,
            failed_tests: failed,
          },
        },
      });
    await deliver(build(1, ["t1"]), { token });
    await deliver(build(2, []), { token });
    const listed = await documented("get /api/flaky-tests", `/api/flaky-tests?source_id=${sourceId}&limit=1`);
    expect(listed.flaky_tests).toHaveLength(1);
    await documented("get /api/flaky-tests", "/api/flaky-tests?limit=500");
  });

  it("stats: the isolate's unattributed rejections", async () => {
    await rejected(() => deliver(buildPayload(), { token: "itoc_unknown" }), 401);
    const stats = await documented("get /api/stats", "/api/stats");
    expect(stats.unattributed_rejections).toMatchObject({ total: expect.any(Number) });
  });

  it("silences: created, listed, shown, ended, refused", async () => {
    // A week and a day: a weekly window always falls inside, whatever day and hour the test runs at.
    const eightDays = 8 * 86_400_000;
    const created = await documented(
      "post /api/silences",
      "/api/silences",
      json({
        match: { job: "answers/silenced/**", branch: "main" },
        starts_at: nowIso(),
        ends_at: new Date(nowMs() + eightDays).toISOString(),
        comment: "answers",
        recurrence: { days: ["mon", "sun"], from: "22:00", to: "06:00", time_zone: "Europe/Berlin" },
      }),
    );
    const one = `/api/silences/${created.id}`;
    await documented("get /api/silences", "/api/silences?status=active&limit=1");
    await documented("get /api/silences/{id}", one);
    expect(await documented("delete /api/silences/{id}", one)).toMatchObject({ status: "ended" });
    await documented("post /api/silences", "/api/silences", json({ match: {}, comment: "" }));
    await documented("get /api/silences/{id}", "/api/silences/99999999");
    expectTypeOf<v.InferOutput<typeof SilenceSchema>>().toEqualTypeOf<SilenceView>();
  });

  it("problems: each error as documented", async () => {
    await documented("get /api/alerts", "/api/alerts?limit=0");
    await documented("get /api/alerts/{id}", "/api/alerts/99999999");
    await documented("get /api/alerts/{id}", "/api/alerts/x");
    await documented("get /api/sources/{id}", "/api/sources/not-a-source");
    await documented("post /api/sources", "/api/sources", json({ name: "" }));
    await documented("get /api/jobs", "/api/jobs", { headers: { Authorization: "Bearer wrong" } });
  });

  it("describes the models the routes answer with", () => {
    type Out<S extends v.GenericSchema> = v.InferOutput<S>;
    // Alerts: the same fields with the same nullability, both ways. Events and jobs: their models
    // type the vocabulary as plain strings, so there the schemas' picklists only need to fit.
    type ApiAlert = Omit<Out<typeof answers.AlertSchema>, "provider">;
    expectTypeOf<ApiAlert>().toExtend<Alert>();
    expectTypeOf<Alert>().toExtend<ApiAlert>();
    expectTypeOf<Out<typeof answers.AlertSchema>>().toExtend<ReturnType<typeof toApiAlert>>();
    expectTypeOf<Out<typeof answers.AlertEventSchema>>().toExtend<Omit<AlertEvent, "body">>();
    expectTypeOf<keyof Out<typeof answers.AlertEventSchema>>().toEqualTypeOf<
      keyof Omit<AlertEvent, "body">
    >();
    expectTypeOf<Out<typeof answers.JobSchema>>().toExtend<Job>();
    expectTypeOf<keyof Out<typeof answers.JobSchema>>().toEqualTypeOf<keyof Job>();
    expectTypeOf<Out<typeof answers.SourceSchema>>().toEqualTypeOf<SourceRecord>();
    expectTypeOf<Out<typeof answers.SourceStatsSchema>>().toEqualTypeOf<SourceStats>();
    type ApiIncident = Omit<Out<typeof incidentAnswers.IncidentSchema>, "provider">;
    expectTypeOf<ApiIncident>().toExtend<Incident>();
    expectTypeOf<keyof ApiIncident>().toEqualTypeOf<keyof Incident>();
    expectTypeOf<Out<typeof incidentAnswers.IncidentEventSchema>>().toEqualTypeOf<IncidentEvent>();
    expectTypeOf<Out<typeof answers.PolicyAnswerSchema>>().toEqualTypeOf<Policy>();
    type ApiDestination = ReturnType<typeof toApiDestination>;
    expectTypeOf<Out<typeof destinationAnswers.DestinationSchema>>().toEqualTypeOf<ApiDestination>();
  });
});
