/**
 * Incidents on the dashboard, through the Worker: the home page (what needs attention) and its live
 * fragment, acting from it (CSRF-checked forms that record the sign-in's display name), one incident's
 * page, the incidents list with its filters, job search and paging.
 */

import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { nowIso } from "../../../src/platform/clock";
import { api, createSource } from "../../helpers";
import { incidentSource as setup } from "../../incidents/incident-source";
import { indexJobs } from "../../jobs/job-index";
import { form as formAs, ORIGIN, page as pageAs, signIn } from "../dashboard-client";

let session: string;
let anonymous: string;

beforeAll(async () => {
  [session, anonymous] = await Promise.all([signIn("Ada Lovelace"), signIn()]);
});

const html = async (path: string, cookie = session) => (await pageAs(path, {}, cookie)).text();
const post = (path: string, fields: Record<string, string>, cookie = session, origin = ORIGIN) =>
  formAs(path, fields, cookie, origin);

/** The table rows of `markup` (each `<tr …>…</tr>`) that contain `text`. */
const rowsWith = (markup: string, text: string) =>
  [...markup.matchAll(/<tr[^>]*>(?:(?!<\/tr>)[\s\S])*<\/tr>/g)]
    .map(([row]) => row)
    .filter((row) => row.includes(text));

const rowIds = (rows: string[]) => rows.map((row) => Number(/data-id="(\d+)"/.exec(row)?.[1]));

describe("the home page: what needs attention", () => {
  it("lists open and acknowledged incidents, highest priority first, then newest", async () => {
    const { source, finish, incidents } = await setup("needs attention: order");
    await finish("na/older-high", 1, "FAILURE");
    await finish("na/unstable", 3, "UNSTABLE");
    await finish("na/web-shop/feature%2Flogin", 7, "FAILURE");
    await finish("na/web-shop/feature%2Flogin", 8, "FAILURE");
    const [feature, unstable, older] = await incidents();
    if (!feature || !unstable || !older) throw new Error("three incidents expected");
    await api(`/api/incidents/${older.id}/acknowledge`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ by: "Grace" }),
    });

    const markup = await html("/");
    const rows = rowsWith(markup, "needs attention: order");
    expect(rowIds(rows)).toEqual([feature.id, older.id, unstable.id]);
    const [first = "", second = "", third = ""] = rows;
    expect(first).toContain(`<a href="/incidents/${feature.id}">na/web-shop/feature/login</a>`);
    expect(first).toContain('<span class="badge p-HIGH">HIGH</span>');
    expect(first).toContain('<span class="badge k-incident">failure</span>');
    expect(first).toMatch(/needs attention: order<br\/?><small>Jenkins<\/small>/);
    expect(first).toContain("#7–#8<small> · 2 builds</small>");
    expect(first).toContain(`<a href="/alerts/${feature.latest_alert_id}">Alert of #8</a>`);
    expect(first).toMatch(/<time datetime="[^"]+Z">\d{4}-\d\d-\d\d \d\d:\d\d UTC<\/time>/);
    expect(first).toContain('<span class="badge s-open">open</span>');
    expect(first).toContain(`action="/incidents/${feature.id}/acknowledge"`);
    expect(first).toContain(`action="/incidents/${feature.id}/resolve"`);
    expect(first).toContain('<input type="hidden" name="back" value="/"/>');
    expect(second).toMatch(
      /<span class="badge s-acknowledged">acknowledged<\/span><br\/?><small>by admin token<\/small>/,
    );
    expect(second).not.toContain("/acknowledge");
    expect(second).toContain(`action="/incidents/${older.id}/resolve"`);
    expect(third).toContain('<span class="badge p-MEDIUM">MEDIUM</span>');
    expect(source.id).toBeTruthy();
  });

  it("says “whole source” for a silent source, and flags a silenced incident", async () => {
    const { source } = await createSource("needs attention: kinds").then(async (created) => ({
      source: created,
    }));
    const now = nowIso();
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO incidents (kind, source_id, source_name, state, priority, opened_at, updated_at)
         VALUES ('source_silent', ?1, 'needs attention: kinds', 'open', 'LOW', ?2, ?2)`,
      ).bind(source.id, now),
      env.DB.prepare(
        `INSERT INTO incidents (kind, source_id, source_name, job, state, priority, opened_at, updated_at, silenced)
         VALUES ('missed_build', ?1, 'needs attention: kinds', 'nightly', 'open', 'MEDIUM', ?2, ?2, 1)`,
      ).bind(source.id, now),
    ]);
    const rows = rowsWith(await html("/"), "needs attention: kinds");
    expect(rows).toHaveLength(2);
    const [missed = "", silent = ""] = rows;
    expect(missed).toContain(
      '<span class="badge k-incident">missed build</span> <span class="badge s-silenced">silenced</span>',
    );
    expect(missed).toContain('<span class="muted">–</span>');
    expect(silent).toMatch(/<a href="\/incidents\/\d+">whole source<\/a>/);
    expect(silent).toContain(">source silent<");
    expect(silent).not.toContain("silenced");
  });

  it("leaves out an incident a green build resolved", async () => {
    const { finish, incidents } = await setup("needs attention: resolved");
    await finish("na/flaky", 1, "FAILURE");
    await finish("na/flaky", 2, "SUCCESS");
    const [resolved] = await incidents();
    expect(rowsWith(await html("/"), "needs attention: resolved")).toEqual([]);
    const listed = rowsWith(await html("/incidents?state=resolved"), "needs attention: resolved");
    expect(rowIds(listed)).toEqual([resolved?.id]);
    expect(listed[0]).toMatch(
      /<span class="badge s-resolved">resolved<\/span><br\/?><small>by build #2<\/small>/,
    );
  });

  it("answers the live fragment with the view's rows only", async () => {
    const { finish, incidents } = await setup("needs attention: live");
    await finish("na/live", 4, "FAILURE");
    const [open] = await incidents();
    const res = await pageAs("/needs-attention/rows", { headers: { "X-Requested-With": "fetch" } }, session);
    expect(res.status).toBe(200);
    const fragment = await res.text();
    expect(fragment).not.toContain("<html");
    expect(fragment.startsWith("<tr")).toBe(true);
    expect(rowIds(rowsWith(fragment, "needs attention: live"))).toEqual([open?.id]);
    expect(fragment).toContain('data-announce="na/live failure, HIGH"');
  });

  it("is the live list the page's script refreshes, with a polite live region", async () => {
    const markup = await html("/");
    expect(markup).toContain(
      '<tbody id="incidents" data-live="/needs-attention/rows" data-mode="all" data-query="" data-noun="incident" data-empty="no-incidents">',
    );
    expect(markup).toContain('role="status" aria-live="polite"');
    expect(markup).toMatch(/<a href="\/alerts">Alerts<\/a>/);
  });
});

describe("acting from the dashboard", () => {
  it("acknowledges as the admin token with the name given at sign-in, and comes back to the page it came from", async () => {
    const { finish, incidents, incident } = await setup("act: acknowledge");
    await finish("act/ack", 1, "FAILURE");
    const [open] = await incidents();
    const res = await post(`/incidents/${open?.id}/acknowledge`, { back: "/", note: "  on it  " });
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/");
    const acknowledged = await incident(open?.id ?? 0);
    expect(acknowledged).toMatchObject({
      state: "acknowledged",
      acknowledged_by: "Ada Lovelace (admin token)",
    });
    expect(acknowledged.timeline.at(-1)).toMatchObject({
      type: "acknowledged",
      by: "Ada Lovelace (admin token)",
      note: "on it",
    });
    const page = await html(`/incidents/${open?.id}`);
    expect(page).toContain('<td data-label="What">Acknowledged by Ada Lovelace (admin token)</td>');
    expect(page).toContain('<td data-label="Note" class="note">on it</td>');

    // Again: nothing changes.
    expect((await post(`/incidents/${open?.id}/acknowledge`, { back: "/" })).status).toBe(303);
    expect((await incident(open?.id ?? 0)).timeline.map((e) => e.type)).toEqual(["opened", "acknowledged"]);
  });

  it("resolves by hand with a note; the incident leaves the home page", async () => {
    const { finish, incidents, incident } = await setup("act: resolve");
    await finish("act/resolve", 1, "FAILURE");
    const [open] = await incidents();
    const res = await post(`/incidents/${open?.id}/resolve`, { note: "fixed the flaky test" });
    expect(res.headers.get("Location")).toBe(`/incidents/${open?.id}`);
    expect((await incident(open?.id ?? 0)).timeline.at(-1)).toMatchObject({
      type: "resolved",
      by: "Ada Lovelace (admin token)",
      note: "fixed the flaky test",
    });
    const page = await html(`/incidents/${open?.id}`);
    expect(page).toContain("Resolved by hand by Ada Lovelace (admin token)");
    expect(page).not.toContain("<textarea");
    expect(rowsWith(await html("/"), "act: resolve")).toEqual([]);
  });

  it("records the admin token when no name was given at sign-in", async () => {
    const { finish, incidents } = await setup("act: anonymous");
    await finish("act/anonymous", 1, "FAILURE");
    const [open] = await incidents();
    expect(await html(`/incidents/${open?.id}`, anonymous)).toContain("Recorded as the admin token");
    await post(`/incidents/${open?.id}/acknowledge`, {}, anonymous);
    const page = await html(`/incidents/${open?.id}`, anonymous);
    expect(page).toContain("Acknowledged by admin token");
  });

  it("refuses a cross-site post and one without a session, changing nothing", async () => {
    const { finish, incidents } = await setup("act: refused");
    await finish("act/refused", 1, "FAILURE");
    const [open] = await incidents();
    const crossSite = await post(`/incidents/${open?.id}/resolve`, {}, session, "https://evil.example");
    expect(crossSite.status).toBe(403);
    const signedOut = await post(`/incidents/${open?.id}/resolve`, {}, "");
    expect(signedOut.status).toBe(401);
    const json = await pageAs(
      `/incidents/${open?.id}/resolve`,
      { method: "POST", headers: { "Content-Type": "application/json", Origin: ORIGIN }, body: "{}" },
      session,
    );
    expect(json.status).toBe(415);
    expect((await incidents()).map((i) => i.state)).toEqual(["open"]);
  });

  it("refuses a note over the API's limit, saying so, and changing nothing", async () => {
    const { finish, incidents } = await setup("act: long note");
    await finish("act/long-note", 1, "FAILURE");
    const [open] = await incidents();
    const res = await post(`/incidents/${open?.id}/acknowledge`, { note: "x".repeat(1001) });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain(
      '<p class="error" id="note-error" role="alert">Note: at most 1000 characters.</p>',
    );
    expect((await incidents()).map((i) => i.state)).toEqual(["open"]);
  });

  it("never sends the browser off-site afterwards", async () => {
    const { finish, incidents } = await setup("act: back");
    await finish("act/back", 1, "FAILURE");
    const [open] = await incidents();
    const res = await post(`/incidents/${open?.id}/acknowledge`, { back: "//evil.example/" });
    expect(res.headers.get("Location")).toBe(`/incidents/${open?.id}`);
  });

  it("answers an unknown incident with the 404 page", async () => {
    const acted = await post("/incidents/999999/acknowledge", { back: "/" });
    expect(acted.status).toBe(404);
    expect(await acted.text()).toContain("<h1>Not found</h1>");
    expect((await pageAs("/incidents/999999", {}, session)).status).toBe(404);
  });
});

describe("an incident's page", () => {
  it("shows its facts, its timeline in words, the alerts of its builds, and the form", async () => {
    const { finish, incidents, incident } = await setup("incident page");
    await finish("ip/web-shop/feature%2Fcart", 7, "FAILURE");
    await finish("ip/web-shop/feature%2Fcart", 8, "UNSTABLE");
    const [open] = await incidents();
    const id = open?.id ?? 0;
    let page = await html(`/incidents/${id}`);
    expect(page).toContain('<span class="badge p-HIGH">HIGH</span> ip/web-shop/feature/cart: failure</h1>');
    expect(page).toContain("#7–#8 · 2 builds");
    for (const alertId of open?.alert_ids ?? []) expect(page).toContain(`href="/alerts/${alertId}"`);
    expect(page).toContain('<textarea name="note" rows="2" maxlength="1000"');
    expect(page).toContain(`formaction="/incidents/${id}/acknowledge"`);
    expect(page).toContain("Recorded as “Ada Lovelace (admin token)”");
    expect(page).toMatch(
      /<time datetime="[^"]+" data-precision="seconds">\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC<\/time>/,
    );

    await post(`/incidents/${id}/acknowledge`, { note: "looking" });
    await finish("ip/web-shop/feature%2Fcart", 9, "SUCCESS");
    page = await html(`/incidents/${id}`);
    const steps = [...page.matchAll(/<td data-label="What">([^<]*)<\/td>/g)].map((m) => m[1]);
    expect(steps).toEqual([
      "Opened by build #7",
      "Joined by build #8",
      "Acknowledged by Ada Lovelace (admin token)",
      "Resolved by build #9",
    ]);
    expect(page).not.toContain('<form method="post" action="/incidents');
    expect((await incident(id)).state).toBe("resolved");
  });
});

describe("the incidents list", () => {
  it("filters by state, kind, priority and source, and says which filters matched nothing", async () => {
    const { source, finish, incidents } = await setup("list: filters");
    await finish("lf/high", 1, "FAILURE");
    await finish("lf/medium", 1, "UNSTABLE");
    await finish("lf/gone", 1, "FAILURE");
    await finish("lf/gone", 2, "SUCCESS");
    const [gone, medium, high] = await incidents();
    const listed = async (query: string) =>
      rowIds(rowsWith(await html(`/incidents?source_id=${source.id}${query}`), "list: filters"));
    expect(await listed("")).toEqual([gone?.id, medium?.id, high?.id]);
    expect(await listed("&priority=MEDIUM")).toEqual([medium?.id]);
    expect(await listed("&state=resolved")).toEqual([gone?.id]);
    expect(await listed("&state=open&kind=failure&priority=")).toEqual([medium?.id, high?.id]);
    const empty = await html(`/incidents?source_id=${source.id}&kind=missed_build&state=open`);
    expect(empty).toContain("No incidents of kind missed build in state open from source “list: filters”.");
    // A value the API would refuse is simply not applied.
    expect(await listed("&state=closed")).toEqual([gone?.id, medium?.id, high?.id]);
  });

  it("finds incidents by the displayed job path", async () => {
    const { finish, incidents } = await setup("list: job search");
    await finish("ljs/web-shop/feature%2Flogin", 1, "FAILURE");
    await finish("ljs/web-shop/main", 1, "FAILURE");
    await indexJobs();
    const [, login] = await incidents();
    const found = await html("/incidents?job=ljs%2Fweb-shop%2Ffeature%2Flogin");
    expect(rowIds(rowsWith(found, "list: job search"))).toEqual([login?.id]);
    expect(found).toContain('value="ljs/web-shop/feature/login"');
    expect(await html("/incidents?job=ljs%2Fweb-shop%2Ffeature%2Flogin&state=resolved")).toContain(
      "No incidents for job “ljs/web-shop/feature/login” in state resolved.",
    );
    expect(await html("/incidents?job=no-such-job-anywhere")).toContain(
      "No job path contains “no-such-job-anywhere”.",
    );
  });

  it("pages newest first, keeping the filters", async () => {
    const source = await createSource("list: paging");
    const now = nowIso();
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 51)
       INSERT INTO incidents (kind, source_id, source_name, job, state, priority, opened_at, updated_at)
       SELECT 'failure', ?1, 'list: paging', 'paging/job-' || i, 'resolved', 'LOW', ?2, ?2 FROM n`,
    )
      .bind(source.id, now)
      .run();
    const first = await html(`/incidents?source_id=${source.id}&priority=LOW`);
    expect(rowsWith(first, "list: paging")).toHaveLength(50);
    expect(first).toContain(">paging/job-51<");
    const older = /<a href="(\/incidents\?[^"]+)">Older incidents →<\/a>/
      .exec(first)?.[1]
      ?.replaceAll("&amp;", "&");
    expect(older).toMatch(/priority=LOW/);
    const second = await html(older ?? "");
    expect(rowsWith(second, "list: paging")).toHaveLength(1);
    expect(second).toContain(">paging/job-1<");
    expect(second).not.toContain("Older incidents");
  });
});
