/**
 * /api/silences: create, show, list by status with paging, end (idempotent); bad bodies are 400s that
 * name the field and store nothing; open incidents are flagged when a silence is created, unflagged
 * when it ends, and followed by the cron trigger as windows open and close (on a fake clock). The
 * incident rows are written here directly, as ingest and the heartbeat cron would.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import * as v from "valibot";
import { beforeAll, describe, expect, it } from "vitest";
import { SYSTEM } from "../../src/audit/actor";
import worker from "../../src/index";
import { nowIso, nowMs } from "../../src/platform/clock";
import { forgetSilences, silencesFor } from "../../src/silences/cache";
import { MAX_EXAMINED, silenceTarget } from "../../src/silences/effects";
import { isSilenced, type SilenceView } from "../../src/silences/rules";
import { NewSilenceSchema } from "../../src/silences/schema";
import { insertSilence, MAX_SILENCES_IN_FORCE } from "../../src/silences/store";
import { countingD1 } from "../fault-bindings";
import { api, createSource } from "../helpers";
import { logsOfEachTest } from "../logs";

const logs = logsOfEachTest();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();

let source: { id: string };
let other: { id: string };

beforeAll(async () => {
  source = await createSource("silences");
  other = await createSource("silences (other)");
});

const json = (body: unknown, method = "POST"): RequestInit => ({
  method,
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify(body),
});

/** A valid body: the next two hours, for `source` unless `match` says otherwise. */
const body = (fields: Record<string, unknown> = {}) => ({
  match: { source_id: source.id },
  starts_at: iso(nowMs() - 60_000),
  ends_at: iso(nowMs() + 2 * HOUR),
  comment: "database upgrade",
  ...fields,
});

async function create(fields: Record<string, unknown> = {}): Promise<SilenceView> {
  const res = await api("/api/silences", json(body(fields)));
  expect(res.status).toBe(201);
  return res.json();
}

const end = async (id: number) => {
  const res = await api(`/api/silences/${id}`, { method: "DELETE" });
  expect(res.status).toBe(200);
  return res.json<SilenceView>();
};

const list = async (query: string) =>
  (await api(`/api/silences?${query}`)).json<{ silences: SilenceView[]; next_cursor: string | null }>();

const countSilences = () => env.DB.prepare("SELECT count(*) AS n FROM silences").first<number>("n");

/** An incident row as ingest or the heartbeat cron writes one; `job` is the stored full name. */
async function incident(fields: {
  source_id: string;
  job: string | null;
  branch?: string | null;
  kind?: string;
  state?: string;
}): Promise<number> {
  const now = nowIso();
  const id = await env.DB.prepare(
    `INSERT INTO incidents (kind, source_id, source_name, job, job_display_name, branch, state, priority,
                            opened_at, updated_at)
     VALUES (?1, ?2, 'silences', ?3, ?3, ?4, ?5, 'HIGH', ?6, ?6) RETURNING id`,
  )
    .bind(
      fields.kind ?? (fields.job === null ? "source_silent" : "failure"),
      fields.source_id,
      fields.job,
      fields.branch ?? null,
      fields.state ?? "open",
      now,
    )
    .first<number>("id");
  if (id === null) throw new Error("no incident");
  return id;
}

const silenced = (id: number) =>
  env.DB.prepare("SELECT silenced FROM incidents WHERE id = ?1").bind(id).first<number>("silenced");

const timeline = async (id: number) =>
  (
    await env.DB.prepare("SELECT type, by, note FROM incident_events WHERE incident_id = ?1 ORDER BY id")
      .bind(id)
      .all()
  ).results;

async function runCron(at: number, overrides: Partial<Env> = {}) {
  const ctx = createExecutionContext();
  const controller = createScheduledController({ scheduledTime: at, cron: "*/5 * * * *" });
  await worker.scheduled(controller, { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
}

describe("POST, GET and DELETE /api/silences", () => {
  it("creates a silence and shows it with its status", async () => {
    const recurrence = { days: ["sun", "sat"], from: "22:00", to: "06:00", time_zone: "europe/berlin" };
    const created = await create({
      starts_at: "2030-03-01T00:00:00+01:00",
      ends_at: "2030-04-01T00:00:00+02:00",
      match: { source_id: source.id, job: "acme/**", branch: "release/*" },
      recurrence,
      created_by: "  alice ",
    });
    expect(created).toEqual({
      id: expect.any(Number),
      match: { source_id: source.id, job: "acme/**", branch: "release/*" },
      starts_at: "2030-02-28T23:00:00.000Z",
      ends_at: "2030-03-31T22:00:00.000Z",
      recurrence: { days: ["sat", "sun"], from: "22:00", to: "06:00", time_zone: "Europe/Berlin" },
      comment: "database upgrade",
      created_by: "alice",
      created_at: expect.any(String),
      ended_at: null,
      status: "upcoming",
      silencing: false,
      // Saturday 2 March 2030, 22:00 CET.
      next_change: "2030-03-02T21:00:00.000Z",
    });
    const shown = await api(`/api/silences/${created.id}`);
    expect(await shown.json()).toEqual(created);
    expect(logs.names()).toEqual([]);
  });

  it("lists them newest first, by status, a page at a time", async () => {
    const active = await create({ comment: "active one" });
    const upcoming = await create({ starts_at: iso(nowMs() + DAY), ends_at: iso(nowMs() + 2 * DAY) });
    const ended = [await create(), await create(), await create()];
    for (const silence of ended) await end(silence.id);

    const activeIds = (await list("status=active")).silences.map((s) => s.id);
    expect(activeIds).toContain(active.id);
    expect(activeIds).not.toContain(upcoming.id);
    expect((await list("status=upcoming")).silences.map((s) => s.id)).toContain(upcoming.id);

    const first = await list("status=ended&limit=2");
    expect(first.silences.map((s) => s.id)).toEqual([ended[2]?.id, ended[1]?.id]);
    expect(first.silences.every((s) => s.status === "ended")).toBe(true);
    const second = await list(`status=ended&limit=2&cursor=${first.next_cursor}`);
    expect(second.silences.map((s) => s.id)).toEqual([ended[0]?.id]);
    expect(second.next_cursor).toBeNull();

    const all = (await list("limit=200")).silences.map((s) => s.id);
    expect(all).toEqual([...all].sort((a, b) => b - a));
    expect(all).toEqual(expect.arrayContaining([active.id, upcoming.id, ...ended.map((s) => s.id)]));
    expect((await api("/api/silences?status=over")).status).toBe(400);
  });

  it("ends a silence now on DELETE, idempotently", async () => {
    const silence = await create();
    const ended = await end(silence.id);
    expect(ended).toMatchObject({ id: silence.id, status: "ended", silencing: false, next_change: null });
    expect(Date.parse(ended.ended_at ?? "")).toBeLessThanOrEqual(nowMs());
    expect(await end(silence.id)).toEqual(ended);
    // An upcoming one ends before it began.
    const upcoming = await create({ starts_at: iso(nowMs() + DAY), ends_at: iso(nowMs() + 2 * DAY) });
    expect(await end(upcoming.id)).toMatchObject({ status: "ended" });
  });

  it("answers 404 for an unknown silence, 400 for a malformed id, 405 for other methods", async () => {
    for (const method of ["GET", "DELETE"]) {
      const missing = await api("/api/silences/99999999", { method });
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({ detail: "No such silence." });
      expect((await api("/api/silences/abc", { method })).status).toBe(400);
    }
    expect((await api("/api/silences/1", { method: "PUT" })).status).toBe(405);
    expect((await api("/api/silences", { method: "DELETE" })).status).toBe(405);
  });
});

describe("invalid silences", () => {
  const recurrence = { days: ["sat"], from: "22:00", to: "06:00", time_zone: "Europe/Berlin" };
  const cases: [string, Record<string, unknown>, string, string?][] = [
    ["no match", { match: undefined }, "match", "is required"],
    [
      "a source id that is not one",
      { match: { source_id: "nope" } },
      "match.source_id",
      "expected a source id",
    ],
    [
      "a source that does not exist",
      { match: { source_id: crypto.randomUUID() } },
      "match.source_id",
      "no such source",
    ],
    ["an empty job glob", { match: { job: "" } }, "match.job", "must not be empty"],
    ["a job glob too long", { match: { job: "a".repeat(257) } }, "match.job", "at most 256 characters"],
    ["a glob with two **", { match: { job: "**/x/**" } }, "match.job", "at most 1 ** segment"],
    [
      "a branch glob of nine wildcards",
      { match: { branch: "?????????" } },
      "match.branch",
      "at most 8 wildcards (*, ** or ?)",
    ],
    ["a branch glob that is no string", { match: { branch: 7 } }, "match.branch", "expected string"],
    ["a start without its zone", { starts_at: "2030-01-01T10:00:00" }, "starts_at"],
    ["an end on a day that does not exist", { ends_at: "2030-02-30T10:00:00Z" }, "ends_at"],
    [
      "an end before the start",
      { starts_at: iso(nowMs() + 2 * HOUR), ends_at: iso(nowMs() + HOUR) },
      "ends_at",
      "must be after starts_at",
    ],
    [
      "longer than a year",
      { ends_at: iso(nowMs() + 367 * DAY) },
      "ends_at",
      "at most 366 days after starts_at",
    ],
    [
      "an end in the past",
      { starts_at: iso(nowMs() - DAY), ends_at: iso(nowMs() - HOUR) },
      "ends_at",
      "must be in the future",
    ],
    ["an empty comment", { comment: "   " }, "comment", "must not be empty"],
    ["a comment too long", { comment: "x".repeat(1001) }, "comment", "at most 1000 characters"],
    [
      "a made-up time zone",
      { recurrence: { ...recurrence, time_zone: "Mars/Olympus" } },
      "recurrence.time_zone",
    ],
    ["an offset for a zone", { recurrence: { ...recurrence, time_zone: "+01:00" } }, "recurrence.time_zone"],
    ["an unknown day", { recurrence: { ...recurrence, days: ["sat", "caturday"] } }, "recurrence.days[1]"],
    ["no days", { recurrence: { ...recurrence, days: [] } }, "recurrence.days", "expected at least one day"],
    [
      "a day twice",
      { recurrence: { ...recurrence, days: ["sat", "sat"] } },
      "recurrence.days",
      "lists a day twice",
    ],
    ["a time past 23:59", { recurrence: { ...recurrence, from: "24:00" } }, "recurrence.from"],
    [
      "windows that never fall within the span",
      {
        starts_at: "2030-06-03T00:00:00Z", // a Monday
        ends_at: "2030-06-04T00:00:00Z",
        recurrence,
      },
      "recurrence",
      "no window falls between starts_at and ends_at",
    ],
  ];

  it.each(cases)("refuses %s, naming the field, and stores nothing", async (_, fields, path, message) => {
    const before = await countSilences();
    const res = await api("/api/silences", json(body(fields)));
    expect(res.status).toBe(400);
    expect(res.headers.get("Content-Type")).toBe("application/problem+json");
    const problem = await res.json<{ errors: { path: string; message: string }[] }>();
    expect(problem.errors.map((error) => error.path)).toEqual([path]);
    if (message) expect(problem.errors[0]?.message).toBe(message);
    expect(await countSilences()).toBe(before);
  });

  it("refuses a body that is not JSON", async () => {
    const res = await api("/api/silences", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: "{",
    });
    expect(res.status).toBe(400);
  });
});

describe("what silences do to incidents", () => {
  it("flags matching open incidents when created and unflags them when no silence covers them", async () => {
    const { id: sourceId } = await createSource("silences (effects)");
    const login = await incident({
      source_id: sourceId,
      job: "acme/web-shop/feature%2Flogin",
      branch: "feature/login",
    });
    const acked = await incident({ source_id: sourceId, job: "acme/web-shop/main", state: "acknowledged" });
    const resolved = await incident({ source_id: sourceId, job: "acme/web-shop/old", state: "resolved" });
    const elsewhere = await incident({ source_id: sourceId, job: "acme/api/main" });
    const silent = await incident({ source_id: sourceId, job: null });
    const otherSource = await incident({ source_id: other.id, job: "acme/web-shop/main" });

    const shop = await create({
      match: { source_id: sourceId, job: "acme/web-shop/**" },
      comment: "shop upgrade",
    });
    expect(logs.named("silences_applied")).toEqual([
      expect.objectContaining({ silenced: 2, unsilenced: 0, complete: true }),
    ]);
    expect(await Promise.all([login, acked, resolved, elsewhere, silent, otherSource].map(silenced))).toEqual(
      [1, 1, 0, 0, 0, 0],
    );
    expect(await timeline(login)).toEqual([
      { type: "silenced", by: `silence #${shop.id}`, note: "shop upgrade" },
    ]);

    // A second silence covers the login job by its displayed path (feature/login, not feature%2Flogin).
    const feature = await create({ match: { source_id: sourceId, job: "acme/web-shop/feature/*" } });
    await end(shop.id);
    expect(await Promise.all([login, acked].map(silenced))).toEqual([1, 0]);
    expect(await timeline(acked)).toEqual([
      { type: "silenced", by: `silence #${shop.id}`, note: "shop upgrade" },
      { type: "unsilenced", by: null, note: null },
    ]);
    await end(feature.id);
    expect(await silenced(login)).toBe(0);
    expect((await timeline(login)).map((event) => event.type)).toEqual(["silenced", "unsilenced"]);
    // Ending again changes nothing.
    await end(feature.id);
    expect((await timeline(login)).length).toBe(2);
    expect(logs.named("silences_applied").map((line) => [line.silenced, line.unsilenced])).toEqual([
      [2, 0],
      [0, 1],
      [0, 1],
    ]);
  });

  it("matches a source_silent incident only with a silence that names no job or branch", async () => {
    const { id: sourceId } = await createSource("silences (source silent)");
    const silent = await incident({ source_id: sourceId, job: null });
    const byJob = await create({ match: { source_id: sourceId, job: "**" } });
    expect(await silenced(silent)).toBe(0);
    const whole = await create({ match: { source_id: sourceId } });
    expect(await silenced(silent)).toBe(1);
    await end(byJob.id);
    await end(whole.id);
    expect(await silenced(silent)).toBe(0);
    expect(logs.named("silences_applied")).toHaveLength(2);
  });

  it("follows windows on the cron trigger's clock, within its D1 budget", async () => {
    const { id: sourceId } = await createSource("silences (cron)");
    const job = await incident({ source_id: sourceId, job: "nightly/etl", branch: "main" });
    // Tomorrow (UTC), 10:00–12:00, within a three-day silence that starts now.
    const tomorrow = new Date(nowMs() + DAY);
    const day = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"][tomorrow.getUTCDay()];
    const at = (hour: number) =>
      Date.UTC(tomorrow.getUTCFullYear(), tomorrow.getUTCMonth(), tomorrow.getUTCDate(), hour);
    await create({
      match: { source_id: sourceId, branch: "main" },
      ends_at: iso(nowMs() + 3 * DAY),
      recurrence: { days: [day], from: "10:00", to: "12:00", time_zone: "UTC" },
    });
    expect(await silenced(job)).toBe(0);

    await runCron(at(11));
    expect(await silenced(job)).toBe(1);
    // Below the queries a run needs, nothing is done (and nothing is half done).
    const tight = countingD1(env.DB);
    // Marking stale alerts (1) and the heartbeat checks (2 reads) leave nothing for silences.
    await runCron(at(12) + 60_000, { DB: tight.db, D1_QUERIES_PER_INVOCATION: "3" });
    expect(await silenced(job)).toBe(1);
    expect(tight.calls.statements).toBeLessThanOrEqual(3);
    // With room for them, silences take three reads (silences, cursor, incidents) and one batch of two
    // writes; retention the rest.
    const counted = countingD1(env.DB);
    await runCron(at(12) + 60_000, { DB: counted.db, D1_QUERIES_PER_INVOCATION: "12" });
    expect(await silenced(job)).toBe(0);
    expect(counted.calls.statements).toBeLessThanOrEqual(12);
    expect((await timeline(job)).map((event) => event.type)).toEqual(["silenced", "unsilenced"]);
    expect(logs.named("silences_applied")).toEqual([
      expect.objectContaining({ silenced: 1, unsilenced: 0, queries: 5, at: iso(at(11)) }),
      expect.objectContaining({ silenced: 0, unsilenced: 1, queries: 5, at: iso(at(12) + 60_000) }),
    ]);
    expect(logs.named("retention_purged")).toHaveLength(3);
  });
});

describe("the cron trigger's share of silence work", () => {
  it(`looks at ${MAX_EXAMINED} incidents a run at most, and the next run goes on from there`, async () => {
    const { id: sourceId } = await createSource("silences (bounded)");
    const opened = nowIso();
    // More open incidents than a run looks at, none of them silenced by anything; then three that are.
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
       INSERT INTO incidents (kind, source_id, source_name, job, job_display_name, state, priority,
                              opened_at, updated_at)
       SELECT 'failure', ?2, 'bulk', 'quiet/' || i, 'quiet/' || i, 'open', 'LOW', ?3, ?3 FROM n`,
    )
      .bind(MAX_EXAMINED + 10, sourceId, opened)
      .run();
    const late = [
      await incident({ source_id: sourceId, job: "loud/a" }),
      await incident({ source_id: sourceId, job: "loud/b" }),
      await incident({ source_id: sourceId, job: "loud/c" }),
    ];
    // Stored directly: creating one through the API would apply it at once, from the first incident.
    const silence = await insertSilence(
      env.DB,
      v.parse(NewSilenceSchema, body({ match: { source_id: sourceId, job: "loud/*" } })),
      new Date(nowMs()),
      SYSTEM,
    );
    if (silence === "too-many") throw new Error("too many silences");

    const at = nowMs() + 60_000;
    await runCron(at);
    expect(await Promise.all(late.map(silenced))).toEqual([0, 0, 0]);
    await runCron(at + 5 * 60_000);
    expect(await Promise.all(late.map(silenced))).toEqual([1, 1, 1]);
    const runs = logs.named("silences_applied");
    expect(runs.map(({ examined, silenced, complete }) => ({ examined, silenced, complete }))).toEqual([
      { examined: MAX_EXAMINED, silenced: 0, complete: false },
      { examined: expect.any(Number), silenced: 3, complete: false },
    ]);
    // The second run went on where the first stopped (it began past the first run's incidents), and
    // having reached the last incident, the one after starts over from the first: a whole pass.
    await runCron(at + 10 * 60_000);
    expect(logs.named("silences_applied").slice(2)).toEqual([
      expect.objectContaining({ examined: MAX_EXAMINED, complete: false }),
    ]);
    await env.DB.prepare("UPDATE incidents SET state = 'resolved' WHERE source_id = ?1").bind(sourceId).run();
    await env.DB.prepare("UPDATE silences SET ended_at = ?2 WHERE id = ?1").bind(silence.id, opened).run();
  });
});

describe("silencesFor (ingest's question when it opens an incident)", () => {
  it("gives a source's own silences and every source's, not ended, cached for 30 s", async () => {
    const { id: sourceId } = await createSource("silences (ingest)");
    const now = new Date(nowMs());
    const target = silenceTarget({ source_id: sourceId, job: "ingest/app", branch: "main" });
    forgetSilences();
    expect(await silencesFor(env, sourceId, now)).toEqual([]);

    const store = async (match: Record<string, string>) => {
      const stored = await insertSilence(env.DB, v.parse(NewSilenceSchema, body({ match })), now, SYSTEM);
      if (stored === "too-many") throw new Error("too many silences");
      return stored;
    };
    const own = await store({ source_id: sourceId });
    const everyone = await store({ job: "ingest/**" });
    await store({ source_id: other.id });
    const ended = await store({ source_id: sourceId });
    await env.DB.prepare("UPDATE silences SET ended_at = ?2 WHERE id = ?1")
      .bind(ended.id, now.toISOString())
      .run();
    // Cached: the isolate sees new silences within 30 s, or at once after a change it made itself.
    expect(await silencesFor(env, sourceId, now)).toEqual([]);
    forgetSilences();
    const found = await silencesFor(env, sourceId, now);
    expect(found.map((s) => s.id)).toEqual([own.id, everyone.id]);
    expect(isSilenced(found, target, now)).toBe(true);
    expect(isSilenced(found, { ...target, sourceId: other.id }, now)).toBe(true); // the every-source one
    expect(isSilenced(found, target, new Date(nowMs() + 3 * HOUR))).toBe(false);
  });
});

describe("how many silences may be in force", () => {
  it("refuses one more active or upcoming silence than the bound with a 409, storing nothing", async () => {
    const now = iso(nowMs());
    const inForce = () =>
      env.DB.prepare("SELECT count(*) AS n FROM silences WHERE ends_at > ?1 AND ended_at IS NULL")
        .bind(now)
        .first<number>("n");
    // Up to one short of the bound, as earlier creations left it; then the last one through the API.
    const missing = MAX_SILENCES_IN_FORCE - 1 - ((await inForce()) ?? 0);
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
       INSERT INTO silences (source_id, job_glob, starts_at, ends_at, comment, created_at)
       SELECT ?2, 'filler/' || i, ?3, ?4, 'filler', ?3 FROM n`,
    )
      .bind(missing, source.id, now, iso(nowMs() + DAY))
      .run();
    const last = await create({ comment: "the last one" });
    expect(await inForce()).toBe(MAX_SILENCES_IN_FORCE);

    const before = await countSilences();
    const refused = await api("/api/silences", json(body({ comment: "one too many" })));
    expect(refused.status).toBe(409);
    expect(refused.headers.get("Content-Type")).toBe("application/problem+json");
    expect(await refused.json()).toMatchObject({
      type: "urn:itoc360:problem:too-many-silences",
      status: 409,
      detail: `${MAX_SILENCES_IN_FORCE} silences are active or upcoming already: end one (DELETE) first.`,
    });
    expect(await countSilences()).toBe(before);

    // Ended ones do not count.
    await end(last.id);
    await end((await create({ comment: "room again" })).id);
    await env.DB.prepare("UPDATE silences SET ended_at = ?1 WHERE comment = 'filler'").bind(now).run();
  });
});
