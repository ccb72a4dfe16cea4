/**
 * Reading the audit log: `GET /api/audit` filtered by actor, action, target and time, paged newest first
 * with a cursor; each filter read by index (no scan, no sort); admins only; the dashboard's page; and the
 * cron's retention, which purges entries past ALERT_RETENTION_DAYS within the query budget.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { SYSTEM } from "../../src/audit/actor";
import { type AuditEntry, recordAudit } from "../../src/audit/entry";
import { auditQuery } from "../../src/audit/store";
import worker from "../../src/index";
import { decodeCursor } from "../../src/platform/http/cursor";
import { api, dashboardPage, dashboardSession } from "../helpers";
import { bearer, tokenFor } from "../people/people-helpers";
import { auditEntries } from "./audit-helpers";

const DAY = 86_400_000;
/** The entries of this file are far in the past (no other test's entries fall in their days). */
const BASE = Date.parse("2020-03-01T00:00:00.000Z");
const at = (day: number, minute = 0) => new Date(BASE + day * DAY + minute * 60_000).toISOString();

/** Stores an entry as if recorded at `when`. */
async function stored(entry: Omit<AuditEntry, "actor"> & { actor?: AuditEntry["actor"] }, when: string) {
  const { auditStatement } = await import("../../src/audit/entry");
  await auditStatement(env.DB, { actor: SYSTEM, ...entry }, when).run();
}

const alice = { kind: "person" as const, name: "alice@example.com", ip: "192.0.2.1" };
const bob = { kind: "person" as const, name: "bob@example.com", ip: null };

beforeAll(async () => {
  // Ten days, two entries a day: alice acknowledges incident:<day>, bob ends silence:<day>.
  for (let day = 0; day < 10; day++) {
    await stored({ actor: alice, action: "incident.acknowledged", target: `incident:9${day}` }, at(day, 1));
    await stored({ actor: bob, action: "silence.ended", target: `silence:9${day}` }, at(day, 2));
  }
});

const inRange = { from: at(0), to: at(10) };

describe("GET /api/audit", () => {
  it("filters by actor, action, target and time, newest first", async () => {
    const byAlice = await auditEntries({ ...inRange, actor: "alice@example.com" });
    expect(byAlice).toHaveLength(10);
    expect(byAlice.map((e) => e.target)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0].map((d) => `incident:9${d}`));
    expect(byAlice[0]).toEqual({
      id: expect.any(Number),
      at: at(9, 1),
      actor: alice,
      action: "incident.acknowledged",
      target: "incident:99",
      details: null,
    });
    expect(
      (await auditEntries({ ...inRange, action: "silence.ended" })).every(
        (e) => e.actor.name === "bob@example.com",
      ),
    ).toBe(true);
    expect(await auditEntries({ target: "silence:93" })).toMatchObject([{ at: at(3, 2), actor: bob }]);
    const days2to4 = await auditEntries({ from: at(2), to: at(5) });
    expect(days2to4.map((e) => e.at)).toEqual([at(4, 2), at(4, 1), at(3, 2), at(3, 1), at(2, 2), at(2, 1)]);
    const bobsDay7 = await auditEntries({ actor: "bob@example.com", from: at(7), to: at(8) });
    expect(bobsDay7.map((e) => e.target)).toEqual(["silence:97"]);
  });

  it("pages with a cursor, every entry once", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string> = { ...inRange, limit: "3", ...(cursor ? { cursor } : {}) };
      const res = await api(`/api/audit?${new URLSearchParams(query)}`);
      const body = (await res.json()) as {
        entries: { at: string; target: string }[];
        next_cursor: string | null;
      };
      expect(body.entries.length).toBeLessThanOrEqual(3);
      seen.push(...body.entries.map((e) => e.target));
      cursor = body.next_cursor;
    } while (cursor);
    expect(seen).toHaveLength(20);
    expect(new Set(seen).size).toBe(20);
    expect(seen.slice(0, 2)).toEqual(["silence:99", "incident:99"]);
  });

  it("refuses a bad filter with 400 naming it", async () => {
    const res = await api("/api/audit?action=source.exploded&from=yesterday");
    expect(res.status).toBe(400);
    const body = (await res.json()) as { errors: { path: string }[] };
    expect(body.errors.map((e) => e.path).sort()).toEqual(["action", "from"]);
  });

  it("is for admins only: a responder's token is refused", async () => {
    const responder = await tokenFor("responder", "audit reader");
    const res = await api("/api/audit", { headers: bearer(responder.value) });
    expect(res.status).toBe(403);
    const admin = await tokenFor("admin", "audit admin");
    expect((await api("/api/audit", { headers: bearer(admin.value) })).status).toBe(200);
  });
});

describe("the audit log's query plans", () => {
  const plan = async (filters: Record<string, string>) => {
    const res = await api(`/api/audit?${new URLSearchParams({ ...filters, limit: "1" })}`);
    const cursor = ((await res.json()) as { next_cursor: string }).next_cursor;
    // The statement the next page runs, with the same filters and that cursor.
    const { sql, params } = auditQuery(filters, 2, decodeCursor(cursor));
    const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`)
      .bind(...params)
      .all<{ detail: string }>();
    return results.map((row) => row.detail);
  };

  it.each([
    [{}],
    [{ actor: "alice@example.com" }],
    [{ action: "silence.ended", from: at(2) }],
    [{ target: "incident:95", to: at(9) }],
    [{ from: at(2), to: at(5) }],
  ])("reads %o by index, without a sort", async (filters: Record<string, string>) => {
    const details = await plan(filters);
    expect(details.filter((d) => /SCAN audit_log(?! USING)|TEMP B-TREE/.test(d))).toEqual([]);
  });
});

describe("the dashboard's audit page", () => {
  it("lists the entries with the filters applied, linked from the header", async () => {
    const session = await dashboardSession();
    const query = new URLSearchParams({ actor: "bob@example.com", from: at(5), to: at(7) });
    const res = await dashboardPage(`/audit?${query}`, session);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<a href="/audit">Audit log</a>');
    const rows = /<tbody id="audit-entries">([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? "";
    expect(rows.match(/<tr>/g)).toHaveLength(2);
    expect(rows).toContain("silence:96");
    expect(rows).toContain("silence:95");
    expect(rows).not.toContain("incident:");
    expect(html).toContain('value="bob@example.com"');
  });

  it("sends a reader without a session to sign in", async () => {
    const res = await dashboardPage("/audit", "");
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toContain("/login");
  });
});

describe("retention of the audit log", () => {
  async function runCron(when: number, overrides: Partial<Env> = {}) {
    const ctx = createExecutionContext();
    const controller = createScheduledController({ scheduledTime: when, cron: "*/5 * * * *" });
    await worker.scheduled(controller, { ...env, ...overrides }, ctx);
    await waitOnExecutionContext(ctx);
  }
  const count = async (from: string, to: string) =>
    env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE at >= ?1 AND at < ?2")
      .bind(from, to)
      .first<number>("n");

  it("purges entries older than ALERT_RETENTION_DAYS, oldest first, and keeps the rest", async () => {
    await recordAudit(env.DB, { actor: SYSTEM, action: "destination.disabled", target: "destination:1" });
    // Run on day 10 + 365 − 3: the first three days are past a year.
    await runCron(BASE + (365 + 3) * DAY + 60_000, { ALERT_RETENTION_DAYS: "365" });
    expect(await count(at(0), at(3))).toBe(0);
    expect(await count(at(3), at(10))).toBe(14);
  });
});
