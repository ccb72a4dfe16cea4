/**
 * Every stored field is bounded, and a source's token is cut out before anything is trimmed or
 * derived. Bounds are checked on what is stored and served (rows, bodies, listing items, queue
 * messages), since the edge refuses rows over 2 MB and queue messages over 128 KB where Miniflare
 * accepts them.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { LIMITS } from "../../src/core/bounds";
import { STORED_BODY_LIMIT } from "../../src/core/stored-body";
import { toMessage } from "../../src/ingest/message";
import { api, buildPayload, createSource, deliver, getAlert } from "../helpers";

/** A listing item (one alert in GET /api/alerts) is at most this many bytes, whatever was sent. */
const LISTING_ITEM_LIMIT = 24 * 1024;
const utf8 = (text: string) => new TextEncoder().encode(text).byteLength;

let source: { id: string; token: string };

beforeAll(async () => {
  source = await createSource("bounds");
});

/** ~1 MB: 1,000 culprits of 1,000 characters, and every other list and string the payload controls. */
function pathological(number: number) {
  const long = (n: number, c = "x") => c.repeat(n);
  const many = (n: number, length: number) => Array.from({ length: n }, (_, i) => `${i}${long(length)}`);
  const body = buildPayload({
    // The job path is the identity, kept whole up to 4,000 bytes (then hashed): make it nearly that long.
    job: `bounds/pathological/${"j".repeat(3900)}`,
    number,
    phase: "FINALIZED",
    status: "FAILURE",
    displayName: long(600, "é"),
    extra: {
      display_name: long(600),
      scm: {
        url: `https://git.example.com/${long(3000)}`,
        branch: long(600),
        commit: long(600),
        changes: many(40, 300),
        culprits: many(1000, 970),
      },
      test_summary: { total: 5000, failed: 400, passed: 4600, skipped: 0, failed_tests: many(60, 300) },
      parameters: Object.fromEntries(many(60, 10).map((k) => [k, long(150)])),
      notes: long(5000),
    },
  });
  return body;
}

describe("a pathological ~1 MB body", () => {
  it("is accepted, stored bounded, listed small, and fits a queue message", async () => {
    const body = pathological(1);
    const size = utf8(JSON.stringify(body));
    expect(size).toBeGreaterThan(1_000_000);
    expect(size).toBeLessThanOrEqual(1024 * 1024);
    const res = await deliver(body, { token: source.token });
    expect(res.status).toBe(200);
    const { alert_id } = (await res.json()) as { alert_id: number };

    const event = await env.DB.prepare(
      "SELECT body, body_truncated FROM events WHERE job LIKE 'bounds/pathological/%'",
    ).first<{ body: string; body_truncated: number }>();
    expect(utf8(event?.body ?? "")).toBeLessThanOrEqual(STORED_BODY_LIMIT);
    expect(event?.body_truncated).toBe(1);
    const stored = JSON.parse(event?.body ?? "{}");
    expect(stored.itoc360_truncated).toEqual(expect.arrayContaining(["build.scm.culprits", "build.notes"]));

    const row = await env.DB.prepare("SELECT * FROM alerts WHERE id = ?1").bind(alert_id).first();
    expect(utf8(JSON.stringify(row))).toBeLessThan(LISTING_ITEM_LIMIT);

    const listed = (await (
      await api(`/api/alerts?job=${encodeURIComponent(row?.job as string)}`)
    ).json()) as {
      alerts: unknown[];
    };
    expect(utf8(JSON.stringify(listed.alerts[0]))).toBeLessThanOrEqual(LISTING_ITEM_LIMIT);
    const alert = await getAlert(alert_id);
    expect(alert.culprits).toHaveLength(LIMITS.culprits);
    expect((alert.summary as string).length).toBeLessThanOrEqual(1024);

    const message = toMessage(
      { source, stored: { body: event?.body ?? "", format: "json", truncated: true }, receivedAt: "x" },
      "busy",
    );
    expect(utf8(JSON.stringify(message))).toBeLessThan(128 * 1000);
  });

  it("keeps ten of them in a default page of a few hundred KB", async () => {
    for (let n = 2; n <= 10; n++)
      expect((await deliver(pathological(n), { token: source.token })).status).toBe(200);
    const job = `bounds/pathological/${"j".repeat(3900)}`;
    const res = await api(`/api/alerts?job=${encodeURIComponent(job)}`);
    const text = await res.text();
    expect(JSON.parse(text).alerts).toHaveLength(10);
    expect(utf8(text)).toBeLessThan(10 * LISTING_ITEM_LIMIT);
  });
});

describe("the source's token in a payload", () => {
  it("is redacted before build.log is cut, even when it straddles the cut", async () => {
    const secret = source.token.slice("itoc_".length);
    // The 32 KiB kept from the end start 10 characters into the token.
    const log = `${"a".repeat(50_000)}${source.token}${"b".repeat(LIMITS.logBytes - 10 - secret.length + 5)}`;
    const res = await deliver(buildPayload({ job: "bounds/straddle", number: 1, extra: { log } }), {
      token: source.token,
    });
    expect(res.status).toBe(200);
    const event = await env.DB.prepare("SELECT body FROM events WHERE job = 'bounds/straddle'").first<string>(
      "body",
    );
    expect(event).not.toContain(secret.slice(-20));
    expect(event).not.toContain(secret.slice(0, 20));
  });

  it("is redacted from every derived column, and on its own without the prefix", async () => {
    const secret = source.token.slice("itoc_".length);
    const res = await deliver(
      buildPayload({
        job: "bounds/derived",
        number: 1,
        phase: "FINALIZED",
        status: "FAILURE",
        extra: {
          scm: {
            branch: `feature/${source.token}`,
            commit: secret,
            changes: [],
            culprits: [`user-${secret}`],
          },
          test_summary: { total: 1, failed: 1, passed: 0, skipped: 0, failed_tests: [`Test${source.token}`] },
        },
      }),
      { token: source.token },
    );
    expect(res.status).toBe(200);
    const rows = await env.DB.batch([
      env.DB.prepare("SELECT * FROM alerts WHERE job = 'bounds/derived'"),
      env.DB.prepare("SELECT * FROM events WHERE job = 'bounds/derived'"),
    ]);
    const stored = JSON.stringify(rows.map((r) => r.results));
    expect(stored).not.toContain(secret);
    expect(stored).toContain("[redacted]");
  });
});

describe("the worst characters", () => {
  // Every display field full of what JSON escapes longest (controls: 6 bytes) or UTF-8 makes widest.
  const worst = (kind: string, n: number) =>
    ({ control: "\u0001", quote: '"', euro: "€", astral: "𝄞" })[kind]?.repeat(n) ?? "";
  it.each(["control", "quote", "euro", "astral"])(
    "keeps a listing item within its bound with %s characters everywhere",
    async (kind) => {
      const many = (n: number, length: number) => Array.from({ length: n }, () => worst(kind, length));
      // The job's identity may only hold percent-encoded names: %01 decodes to a control character.
      const segment = kind === "control" ? "%01".repeat(1300) : encodeURIComponent(worst(kind, 200));
      const body = buildPayload({ job: "bounds/worst", number: 1, phase: "FINALIZED", status: "FAILURE" });
      Object.assign(body, {
        name: worst(kind, 2000),
        display_name: worst(kind, 2000),
        url: `job/${segment}/`,
      });
      Object.assign(body.build as object, {
        full_url: worst(kind, 600),
        url: worst(kind, 600),
        scm: {
          branch: worst(kind, 2000),
          commit: worst(kind, 2000),
          changes: many(60, 300),
          culprits: many(60, 300),
        },
        test_summary: { total: 99, failed: 99, passed: 0, skipped: 0, failed_tests: many(60, 500) },
      });
      const res = await deliver(body, { token: source.token });
      expect(res.status).toBe(200);
      const { alert_id } = (await res.json()) as { alert_id: number };
      const row = await api(`/api/alerts?source_id=${source.id}&limit=1`);
      const [item] = ((await row.json()) as { alerts: { id: number }[] }).alerts;
      expect(item?.id).toBe(alert_id);
      expect(utf8(JSON.stringify(item))).toBeLessThanOrEqual(LISTING_ITEM_LIMIT);
    },
  );
});

describe("counts that survive the cuts", () => {
  it("keeps the number of changed files and failed tests, not of the names kept", async () => {
    const body = buildPayload({
      job: "bounds/counts",
      number: 1,
      phase: "FINALIZED",
      status: "UNSTABLE",
      extra: {
        scm: { changes: Array.from({ length: 300 }, (_, i) => `src/f${i}.ts`), culprits: [] },
        test_summary: {
          total: 5000,
          failed: 400,
          passed: 4600,
          skipped: 0,
          failed_tests: Array.from({ length: 400 }, (_, i) => `T${i}`),
        },
      },
    });
    const res = await deliver(body, { token: source.token });
    const alert = await getAlert(((await res.json()) as { alert_id: number }).alert_id);
    expect(alert.changes_count).toBe(300);
    expect(alert.summary).toContain("400 of 5000 tests failed: T0, T1, T2 and 397 more");
  });
});
