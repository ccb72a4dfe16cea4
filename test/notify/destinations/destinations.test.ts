/**
 * /api/destinations through the Worker: created, listed, changed and deleted; a webhook's signing secret
 * shown once; a URL never returned whole and stored only encrypted; SSRF refusals; 503 without a usable
 * DESTINATIONS_KEY; key rotation (old rows still read, re-encryption moves them); test messages to real
 * receivers on loopback (scripts/lib/receivers-setup.ts), a 410 disabling the destination.
 */
import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { describe, expect, inject, it } from "vitest";
import { receivedAt } from "../../../fixtures/receivers.ts";
import { DestinationsKeyUnusable } from "../../../src/notify/destinations/keyring";
import { readDestinationsToSend } from "../../../src/notify/destinations/open";
import { MAX_DESTINATIONS } from "../../../src/notify/destinations/writes";
import type { ApiDestination } from "../../dashboard/destinations/destination-client";
import { api } from "../../helpers";
import { logsOfEachTest } from "../../logs";

const logs = logsOfEachTest();
const receivers = inject("receivers");

const K1 = env.DESTINATIONS_KEY; // "k1:…", from vitest.config.ts
const K2 = `k2:${btoa("another-32-byte-key-for-rotation")}`;
const LOCAL = { ALLOW_PRIVATE_DESTINATIONS: "true" };
/** As in production (the test project allows private destinations for the notification tests). */
const STRICT = { ALLOW_PRIVATE_DESTINATIONS: "false" };

const json = (method: string, body: unknown): RequestInit => ({
  method,
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify(body),
});

async function create(body: Record<string, unknown>, overrides: Partial<Env> = STRICT) {
  const res = await api("/api/destinations", json("POST", body), overrides);
  const text = await res.text();
  return { status: res.status, text, body: JSON.parse(text) as ApiDestination & { errors?: unknown[] } };
}

async function created(
  body: Record<string, unknown>,
  overrides: Partial<Env> = STRICT,
): Promise<ApiDestination> {
  const res = await create(body, overrides);
  expect(res.status, res.text).toBe(201);
  return res.body;
}

const stored = (id: number) =>
  env.DB.prepare("SELECT * FROM destinations WHERE id = ?1").bind(id).first<Record<string, string | null>>();
const count = async () =>
  (await env.DB.prepare("SELECT count(*) AS n FROM destinations").first<{ n: number }>())?.n;

const SLACK_URL = "https://hooks.slack.com/services/T0AAAAAAA/B0BBBBBBB/slackSecretPart123";

describe("POST /api/destinations", () => {
  it("creates a webhook destination and shows its signing secret in that answer only", async () => {
    const res = await create({
      name: "Ops webhook",
      kind: "webhook",
      url: "https://ops.example.com/hooks/itoc?k=s3cr3t",
    });
    expect(res.status).toBe(201);
    const { secret, ...destination } = res.body;
    expect(destination).toEqual({
      id: expect.any(Number),
      name: "Ops webhook",
      kind: "webhook",
      url_display: "https://ops.example.com",
      match: {},
      on: ["opened", "resolved"],
      escalate_after: null,
      disabled: false,
      disabled_at: null,
      disabled_reason: null,
      unreadable: false,
      unreadable_reason: null,
      channel: null,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    // Standard Webhooks: whsec_ and the base64 of at least 24 random bytes (32 here).
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(atob((secret ?? "").slice("whsec_".length))).toHaveLength(32);

    const again = await (await api(`/api/destinations/${destination.id}`)).text();
    const listed = await (await api("/api/destinations")).text();
    for (const answer of [again, listed]) {
      expect(answer).not.toContain(secret);
      expect(answer).not.toContain("s3cr3t");
      expect(answer).not.toContain("/hooks/itoc");
    }
    expect(JSON.parse(again)).toEqual(destination);
  });

  it("gives Slack and Teams destinations no secret, and takes routing and escalation", async () => {
    const slack = await created({
      name: "Slack #builds",
      kind: "slack",
      url: SLACK_URL,
      match: { job: "acme/**", min_priority: "HIGH", kinds: ["failure"] },
      on: ["opened", "escalated", "resolved", "opened"],
      escalate_after: "90m",
    });
    expect(slack).not.toHaveProperty("secret");
    expect(slack).toMatchObject({
      url_display: "https://hooks.slack.com",
      match: { job: "acme/**", min_priority: "HIGH", kinds: ["failure"] },
      on: ["opened", "escalated", "resolved"],
      escalate_after: "90m",
    });
    const teams = await created({
      name: "Teams",
      kind: "teams",
      url: "https://prod.westeurope.logic.azure.com/workflows/1?sig=x",
    });
    expect(teams).not.toHaveProperty("secret");
    expect(teams.url_display).toBe("https://prod.westeurope.logic.azure.com");
  });

  it("stores the URL and the secret encrypted, each with its key id and its own IV", async () => {
    const one = await created({ name: "enc 1", kind: "webhook", url: SLACK_URL });
    const two = await created({ name: "enc 2", kind: "webhook", url: SLACK_URL });
    const [rowOne, rowTwo] = [await stored(one.id), await stored(two.id)];
    const everything = JSON.stringify([rowOne, rowTwo]);
    for (const secret of [
      "slackSecretPart123",
      "/services/",
      one.secret,
      two.secret,
      btoa(SLACK_URL).slice(0, 20),
    ]) {
      expect(everything).not.toContain(secret);
    }
    expect(rowOne).toMatchObject({
      url_key_id: "k1",
      secret_key_id: "k1",
      url_display: "https://hooks.slack.com",
    });
    // Same URL, different ciphertexts: a random IV each time.
    expect(rowOne?.url_ciphertext).not.toBe(rowTwo?.url_ciphertext);
    // iv (12) + the URL + tag (16), base64.
    expect(atob(rowOne?.url_ciphertext ?? "")).toHaveLength(12 + SLACK_URL.length + 16);
    const [delivered] = await readDestinationsToSend(env.DB, env, [one.id]);
    expect(delivered).toMatchObject({ id: one.id, url: SLACK_URL, secret: one.secret });
  });

  const PRIVATE = "must not point to localhost or a private, loopback or link-local address";
  it.each([
    { label: "plain http", url: "http://hooks.slack.com/x", message: "expected an https URL" },
    { label: "loopback", url: "https://127.0.0.1/hook", message: PRIVATE },
    { label: "the metadata address", url: "https://169.254.169.254/latest/meta-data", message: PRIVATE },
    { label: "IPv4-mapped IPv6", url: "https://[::ffff:10.0.0.1]/", message: PRIVATE },
    { label: "IPv4-mapped IPv6 of a public address", url: "https://[::ffff:8.8.8.8]/", message: PRIVATE },
    { label: "local-use NAT64", url: "https://[64:ff9b:1::808:808]/", message: PRIVATE },
    { label: "a .localhost name", url: "https://jenkins.localhost/", message: PRIVATE },
    {
      label: "credentials",
      url: "https://user:pass@hooks.slack.com/x",
      message: "must not carry credentials (user:password@)",
    },
    { label: "no URL at all", url: "not a url", message: "expected an absolute URL" },
    {
      label: "2,120 characters",
      url: `https://example.com/${"x".repeat(2100)}`,
      message: "at most 2048 characters",
    },
  ])("refuses $label with a 400 naming url, storing nothing", async ({ url, message }) => {
    const before = await count();
    const res = await create({ name: "bad", kind: "slack", url });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path: "url", message }]);
    expect(res.text).not.toContain(url);
    expect(await count()).toBe(before);
  });

  it("takes plain http and loopback with ALLOW_PRIVATE_DESTINATIONS, never credentials", async () => {
    const local = await created({ name: "local", kind: "webhook", url: "http://127.0.0.1:9/hook" }, LOCAL);
    expect(local.url_display).toBe("http://127.0.0.1:9");
    const res = await create({ name: "local", kind: "slack", url: "http://a:b@127.0.0.1:9/" }, LOCAL);
    expect(res.status).toBe(400);
  });

  it.each([
    [{ kind: "email" }, "kind", "expected slack, teams or webhook"],
    [{ name: "  " }, "name", "expected a name"],
    [
      { match: { jobs: "acme/**" } },
      "match",
      "unknown field; expected only source_id, job, branch, min_priority, kinds",
    ],
    [{ match: { kinds: ["outage"] } }, "match.kinds[0]", "expected failure, missed_build or source_silent"],
    [{ match: { job: "**/release/**" } }, "match.job", "at most 1 ** segment"],
    [{ match: { branch: "x".repeat(257) } }, "match.branch", "at most 256 characters"],
    [{ on: [] }, "on", "expected at least one event"],
    [{ on: ["opened", "closed"] }, "on[1]", "expected opened, resolved, acknowledged or escalated"],
    [{ on: ["escalated"] }, "escalate_after", 'is required when `on` includes "escalated"'],
    [{ escalate_after: "30m" }, "escalate_after", 'has no effect unless `on` includes "escalated"'],
    [{ on: ["escalated"], escalate_after: "30s" }, "escalate_after", "at least 1 minute"],
    [{ on: ["escalated"], escalate_after: "8d" }, "escalate_after", "at most 7 days"],
    [
      { on: ["escalated"], escalate_after: "soon" },
      "escalate_after",
      'expected a duration such as "30m", "2h" or "1d"',
    ],
  ])("refuses %j with a 400 naming %s", async (change, path, message) => {
    const res = await create({ name: "x", kind: "slack", url: SLACK_URL, ...change });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ path, message }]);
  });
});

describe("match keys that name an object's own machinery", () => {
  // Written as JSON text: in a JavaScript literal `__proto__` would set the prototype, not a key.
  it.each(["__proto__", "constructor", "prototype"])(
    "refuses %s in match with a 400, like any unknown key, on create and on change",
    async (key) => {
      const match = `{"${key}": {"job": "acme/**"}}`;
      const before = await count();
      const res = await api("/api/destinations", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: `{"name": "proto", "kind": "slack", "url": "${SLACK_URL}", "match": ${match}}`,
      });
      expect(res.status).toBe(400);
      expect((await res.json<{ errors: unknown[] }>()).errors).toEqual([
        {
          path: "match",
          message: "unknown field; expected only source_id, job, branch, min_priority, kinds",
        },
      ]);
      expect(await count()).toBe(before);

      const { id } = await created({ name: "narrow", kind: "slack", url: SLACK_URL, match: { job: "a/b" } });
      const change = await api(`/api/destinations/${id}`, {
        method: "PATCH",
        headers: { "Content-Type": "application/json" },
        body: `{"match": ${match}}`,
      });
      expect(change.status).toBe(400);
      expect((await (await api(`/api/destinations/${id}`)).json<ApiDestination>()).match).toEqual({
        job: "a/b",
      });
    },
  );
});

describe("GET /api/destinations, a page at a time", () => {
  it("pages oldest first with limit and cursor, like the other listings", async () => {
    const made = [];
    for (const name of ["page 1", "page 2", "page 3"]) {
      made.push((await created({ name, kind: "slack", url: SLACK_URL })).id);
    }
    type Page = { destinations: ApiDestination[]; next_cursor: string | null };
    const pageAfter = async (query: string) => (await api(`/api/destinations?${query}`)).json<Page>();
    // Every destination so far, a page of two at a time, until next_cursor is null.
    const seen: number[] = [];
    let next: string | null = "";
    let pages = 0;
    while (next !== null) {
      const page: Page = await pageAfter(`limit=2${next ? `&cursor=${next}` : ""}`);
      expect(page.destinations.length).toBeLessThanOrEqual(2);
      seen.push(...page.destinations.map((d) => d.id));
      next = page.next_cursor;
      pages += 1;
    }
    expect(seen).toEqual([...seen].sort((a, b) => a - b));
    expect(seen).toEqual(expect.arrayContaining(made));
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages).toBe(Math.ceil(seen.length / 2));
    const all = await pageAfter("");
    expect(all.destinations.length).toBe(Math.min(seen.length, 50));

    for (const query of ["limit=0", "limit=201", "cursor=nope"]) {
      expect((await api(`/api/destinations?${query}`)).status).toBe(400);
    }
  });
});

describe(`at most ${MAX_DESTINATIONS} destinations`, () => {
  it("refuses one more with a 409 problem, storing nothing, until one is deleted", async () => {
    // Rows whose creation never finished (no URL ciphertext) are never read, but they count.
    const missing = MAX_DESTINATIONS - 1 - ((await count()) ?? 0);
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
       INSERT INTO destinations (name, kind, url_display, created_at, updated_at)
       SELECT 'filler ' || i, 'slack', 'https://hooks.slack.com', '2030-01-01T00:00:00.000Z',
              '2030-01-01T00:00:00.000Z' FROM n`,
    )
      .bind(missing)
      .run();
    const last = await created({ name: "the last one", kind: "slack", url: SLACK_URL });
    expect(await count()).toBe(MAX_DESTINATIONS);

    const refused = await create({ name: "one too many", kind: "webhook", url: SLACK_URL });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      type: "urn:itoc360:problem:too-many-destinations",
      status: 409,
      detail: `There are ${MAX_DESTINATIONS} destinations already: delete one first.`,
    });
    expect(await count()).toBe(MAX_DESTINATIONS);

    expect((await api(`/api/destinations/${last.id}`, { method: "DELETE" })).status).toBe(204);
    await created({ name: "room again", kind: "slack", url: SLACK_URL });
    await env.DB.prepare("DELETE FROM destinations WHERE name LIKE 'filler %'").run();
  });
});

describe("GET, PATCH and DELETE /api/destinations/:id", () => {
  it("changes name, URL, routing and escalation; the URL's display follows, the URL stays hidden", async () => {
    const { id } = await created({ name: "before", kind: "slack", url: SLACK_URL });
    const newUrl = "https://hooks.slack.com/services/T1/B1/anotherSecret456";
    const res = await api(
      `/api/destinations/${id}`,
      json("PATCH", {
        name: "after",
        url: newUrl,
        match: { branch: "main" },
        on: ["opened", "escalated"],
        escalate_after: "120m",
      }),
    );
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expect(text).not.toContain("anotherSecret456");
    expect(JSON.parse(text)).toMatchObject({
      id,
      name: "after",
      match: { branch: "main" },
      on: ["opened", "escalated"],
      escalate_after: "2h",
    });
    const [delivered] = await readDestinationsToSend(env.DB, env, [id]);
    expect(delivered?.url).toBe(newUrl);

    const cleared = await api(
      `/api/destinations/${id}`,
      json("PATCH", { on: ["opened"], escalate_after: null }),
    );
    expect(await cleared.json()).toMatchObject({ on: ["opened"], escalate_after: null });
    const inconsistent = await api(`/api/destinations/${id}`, json("PATCH", { on: ["escalated"] }));
    expect(inconsistent.status).toBe(400);
    const refused = await api(
      `/api/destinations/${id}`,
      json("PATCH", { url: "https://10.0.0.8/x" }),
      STRICT,
    );
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ errors: [{ path: "url" }] });
  });

  it("disables by hand and re-enables; disabled destinations are not delivered to", async () => {
    const { id } = await created({ name: "pause me", kind: "teams", url: "https://example.com/teams" });
    const paused = await (await api(`/api/destinations/${id}`, json("PATCH", { disabled: true }))).json();
    expect(paused).toMatchObject({
      disabled: true,
      disabled_reason: "disabled by hand",
      disabled_at: expect.any(String),
    });
    expect(await readDestinationsToSend(env.DB, env, [id])).toEqual([]);
    const back = await (await api(`/api/destinations/${id}`, json("PATCH", { disabled: false }))).json();
    expect(back).toMatchObject({ disabled: false, disabled_reason: null, disabled_at: null });
    expect(await readDestinationsToSend(env.DB, env, [id])).toHaveLength(1);
  });

  it("deletes, then answers 404; a malformed id is a 400", async () => {
    const { id } = await created({ name: "gone soon", kind: "slack", url: SLACK_URL });
    expect((await api(`/api/destinations/${id}`, { method: "DELETE" })).status).toBe(204);
    expect(await stored(id)).toBeNull();
    for (const init of [{}, { method: "DELETE" }, json("PATCH", { name: "x" }), { method: "POST" }]) {
      const path = init.method === "POST" ? `/api/destinations/${id}/test` : `/api/destinations/${id}`;
      expect((await api(path, init)).status).toBe(404);
    }
    expect((await api("/api/destinations/abc")).status).toBe(400);
    expect((await api(`/api/destinations/${id}`, { method: "PUT" })).status).toBe(405);
  });
});

describe("DESTINATIONS_KEY", () => {
  it("is needed: 503 when unset, the example placeholder or malformed, after the admin check", async () => {
    const material = K1.slice(3);
    for (const value of [
      "",
      env.EXAMPLE_DESTINATIONS_KEY,
      material, // no key id
      `k1:${btoa("sixteen byte key")}`, // AES-128 length
      `k1:${material},k1:${material}`, // one id twice
      `k2:${material},k1:not-base64!`, // a broken old key
    ]) {
      const res = await api("/api/destinations", {}, { DESTINATIONS_KEY: value });
      expect(res.status, value).toBe(503);
      expect(await res.json()).toMatchObject({ type: "urn:itoc360:problem:destinations-key-unusable" });
    }
    const anonymous = await api(
      "/api/destinations",
      { headers: { Authorization: "Bearer wrong" } },
      { DESTINATIONS_KEY: "" },
    );
    expect(anonymous.status).toBe(401);
    await expect(readDestinationsToSend(env.DB, { DESTINATIONS_KEY: "" })).rejects.toBeInstanceOf(
      DestinationsKeyUnusable,
    );
  });

  it("rotates: rows under the old key still read, reencrypt moves them, then the old key can go", async () => {
    const first = await created({
      name: "rotate webhook",
      kind: "webhook",
      url: "https://a.example.com/one",
    });
    const second = await created({ name: "rotate slack", kind: "slack", url: "https://b.example.com/two" });
    const rotating = { DESTINATIONS_KEY: `${K2},${K1}` };

    // New key first: old rows still read; a new one is sealed under k2.
    const third = await created(
      { name: "after rotation", kind: "slack", url: "https://c.example.com/three" },
      rotating,
    );
    expect(await stored(third.id)).toMatchObject({ url_key_id: "k2" });
    const readable = await readDestinationsToSend(env.DB, rotating, [first.id, second.id, third.id]);
    expect(readable.map((d) => d.url)).toEqual([
      "https://a.example.com/one",
      "https://b.example.com/two",
      "https://c.example.com/three",
    ]);

    const res = await api("/api/destinations/reencrypt", { method: "POST" }, rotating);
    expect(res.status).toBe(200);
    const outcome = (await res.json()) as { reencrypted: number; unreadable: number[]; remaining: number };
    expect(outcome.unreadable).toEqual([]);
    expect(outcome.remaining).toBe(0);
    expect(outcome.reencrypted).toBeGreaterThanOrEqual(2);
    expect(await stored(first.id)).toMatchObject({ url_key_id: "k2", secret_key_id: "k2" });
    expect(await stored(second.id)).toMatchObject({ url_key_id: "k2", secret_ciphertext: null });

    // k1 dropped: everything still reads, and the signing secret is the one shown at creation.
    const [webhook] = await readDestinationsToSend(env.DB, { DESTINATIONS_KEY: K2 }, [first.id]);
    expect(webhook).toMatchObject({ url: "https://a.example.com/one", secret: first.secret });
    // A second run has nothing left to do.
    const again = await (await api("/api/destinations/reencrypt", { method: "POST" }, rotating)).json();
    expect(again).toEqual({ reencrypted: 0, unreadable: [], remaining: 0 });

    // Back on k1 alone (a key dropped too soon): the rows say so instead of failing everything.
    const lost = { DESTINATIONS_KEY: K1 };
    expect(await readDestinationsToSend(env.DB, lost, [first.id])).toEqual([]);
    expect(logs.named("destination_unreadable")).toEqual([
      {
        event: "destination_unreadable",
        destination_id: first.id,
        key_id: "k2",
        error: 'key "k2" is not in DESTINATIONS_KEY',
      },
    ]);
    const patch = await api(`/api/destinations/${first.id}`, json("PATCH", { name: "x" }), lost);
    expect(patch.status).toBe(409);
    const report = await (await api("/api/destinations/reencrypt", { method: "POST" }, lost)).json();
    expect(report).toMatchObject({ unreadable: expect.arrayContaining([first.id, second.id, third.id]) });
  });

  it("says so when the key under the same id has the wrong bytes: listed unreadable, reencrypt reports it", async () => {
    const { id } = await created({ name: "wrong bytes", kind: "webhook", url: "https://w.example.com/x" });
    // The same id, other bytes: the mistake comparing key ids alone cannot see.
    const wrong = { DESTINATIONS_KEY: `k1:${btoa("thirty-two bytes, but not k1's!!")}` };
    const listed = (await (await api("/api/destinations", {}, wrong)).json()) as {
      destinations: (ApiDestination & { unreadable: boolean; unreadable_reason: string | null })[];
    };
    expect(listed.destinations.find((d) => d.id === id)).toMatchObject({
      unreadable: true,
      unreadable_reason: 'does not decrypt with key "k1"',
    });
    const one = await (await api(`/api/destinations/${id}`, {}, wrong)).text();
    expect(JSON.parse(one)).toMatchObject({ unreadable: true });
    expect(one).not.toContain("w.example.com/x");
    const report = await (await api("/api/destinations/reencrypt", { method: "POST" }, wrong)).json();
    expect(report).toMatchObject({ reencrypted: 0, unreadable: expect.arrayContaining([id]), remaining: 0 });
    // Nothing was rewritten, and with the right key the row reads again.
    expect(await stored(id)).toMatchObject({ url_key_id: "k1" });
    expect(await (await api(`/api/destinations/${id}`)).json()).toMatchObject({
      unreadable: false,
      unreadable_reason: null,
    });
    const right = await (await api("/api/destinations/reencrypt", { method: "POST" })).json();
    expect(right).toMatchObject({ unreadable: expect.not.arrayContaining([id]) });
  });

  it("re-encrypts a row on PATCH too", async () => {
    const { id } = await created({
      name: "patch rotates",
      kind: "webhook",
      url: "https://d.example.com/four",
    });
    await api(`/api/destinations/${id}`, json("PATCH", { name: "patched" }), {
      DESTINATIONS_KEY: `${K2},${K1}`,
    });
    expect(await stored(id)).toMatchObject({ url_key_id: "k2", secret_key_id: "k2" });
  });

  it("binds each ciphertext to its row: one copied into another row does not decrypt", async () => {
    const a = await created({ name: "aad a", kind: "slack", url: "https://e.example.com/a" });
    const b = await created({ name: "aad b", kind: "slack", url: "https://e.example.com/b" });
    const rowA = await stored(a.id);
    await env.DB.prepare("UPDATE destinations SET url_ciphertext = ?1 WHERE id = ?2")
      .bind(rowA?.url_ciphertext, b.id)
      .run();
    expect(await readDestinationsToSend(env.DB, env, [a.id, b.id])).toMatchObject([{ id: a.id }]);
    expect(logs.named("destination_unreadable")).toEqual([
      {
        event: "destination_unreadable",
        destination_id: b.id,
        key_id: "k1",
        error: 'does not decrypt with key "k1"',
      },
    ]);
  });
});

describe("POST /api/destinations/:id/test", () => {
  const received = receivedAt;

  it("sends a signed test webhook the receiver can verify with the secret shown at creation", async () => {
    const path = "/test-webhook";
    const destination = await created(
      { name: "local hook", kind: "webhook", url: `${receivers.ok}${path}` },
      LOCAL,
    );
    const res = await api(`/api/destinations/${destination.id}/test`, { method: "POST" }, LOCAL);
    // Its status and timing, never its answer's body ("ok\n" here).
    expect(await res.json()).toEqual({ status: 200, ok: true, error: null, duration_ms: expect.any(Number) });
    const [message] = await received(receivers.ok, path);
    expect(message?.kind).toBe("webhook");
    const payload = new Webhook(destination.secret ?? "").verify(message?.body ?? "", message?.headers ?? {});
    expect(payload).toMatchObject({ type: "destination.test", incident: { id: 0, priority: "HIGH" } });
    expect(message?.headers["webhook-id"]).toMatch(/^test_[0-9a-f]{32}$/);
  });

  it("sends Slack and Teams messages as JSON", async () => {
    for (const kind of ["slack", "teams"]) {
      const path = `/test-${kind}`;
      const { id } = await created({ name: kind, kind, url: `${receivers.ok}${path}` }, LOCAL);
      expect(
        await (await api(`/api/destinations/${id}/test`, { method: "POST" }, LOCAL)).json(),
      ).toMatchObject({ ok: true });
      const [message] = await received(receivers.ok, path);
      expect(message?.kind).toBe(kind);
      expect(message?.headers["content-type"]).toBe("application/json");
    }
  });

  it("answers the receiver's failure, and a 410 disables the destination", async () => {
    const flaky = await created(
      { name: "flaky", kind: "slack", url: `${receivers.flaky}/test-flaky` },
      LOCAL,
    );
    const first = await api(`/api/destinations/${flaky.id}/test`, { method: "POST" }, LOCAL);
    expect(await first.json()).toMatchObject({ status: 503, ok: false });

    const gone = await created({ name: "gone", kind: "teams", url: `${receivers.gone}/test-gone` }, LOCAL);
    const res = await api(`/api/destinations/${gone.id}/test`, { method: "POST" }, LOCAL);
    expect(await res.json()).toMatchObject({ status: 410, ok: false });
    expect(await (await api(`/api/destinations/${gone.id}`)).json()).toMatchObject({
      disabled: true,
      disabled_reason: "410 Gone",
    });
    expect(logs.named("destination_disabled")).toEqual([
      { event: "destination_disabled", destination_id: gone.id, reason: "410 Gone" },
    ]);
  });

  it("does not send to a stored URL the current rules refuse", async () => {
    const local = await created(
      { name: "was allowed", kind: "slack", url: `${receivers.ok}/test-refused` },
      LOCAL,
    );
    const res = await api(`/api/destinations/${local.id}/test`, { method: "POST" }, STRICT);
    expect(await res.json()).toEqual({
      status: null,
      ok: false,
      error: "url-refused",
      duration_ms: expect.any(Number),
    });
    expect(await received(receivers.ok, "/test-refused")).toEqual([]);
  });
});
