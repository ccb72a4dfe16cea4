/**
 * Slack's Acknowledge and Resolve buttons, through the real Worker: presses signed with the tests' own
 * signing secret, the interaction's response_url a loopback receiver, Access in front of the dashboard
 * where a person links their Slack user.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { listActionsBlock } from "../../src/notify/slack/buttons";
import { nowMs } from "../../src/platform/clock";
import { callWorker, dashboardPage, dashboardSession } from "../helpers";
import { incidentSource } from "../incidents/incident-source";
import { accessWorld } from "../people/access-world";
import { peopleOfEachRole } from "../people/people-helpers";
import { postAction, pressBody, responses, SLACK_SECRET, TEAM } from "./slack-world";

const world = await accessWorld("slack-actions", {
  ADMINS: "",
  SLACK_SIGNING_SECRET: SLACK_SECRET,
  SLACK_TEAM_ID: TEAM,
  PUBLIC_URL: "https://itoc.example.com",
});

let person: Awaited<ReturnType<typeof peopleOfEachRole>>;
let incidents: Awaited<ReturnType<typeof incidentSource>>;

beforeAll(async () => {
  person = await peopleOfEachRole("slack");
  incidents = await incidentSource("slack actions");
});

/** A new open incident of its own job. */
async function openIncident(job: string): Promise<number> {
  await incidents.finish(job, 1, "FAILURE");
  return (await incidents.incidentOf(job)).id;
}

/** The link code in the ephemeral answer's text. */
const codeIn = (text: unknown) => /\/slack\/link\?code=([A-Za-z0-9_-]{22})/.exec(String(text))?.[1] ?? "";

/** The dashboard's link page as `email` signed in through Access: GET with the code, or the POST confirming it. */
async function linkPage(email: string, code: string, confirm = false) {
  const headers: Record<string, string> = {
    Accept: "text/html",
    "Cf-Access-Jwt-Assertion": await world.assertionFor(email),
  };
  if (!confirm) return callWorker(`/slack/link?code=${code}`, { headers }, world.env);
  return callWorker(
    "/slack/link",
    {
      method: "POST",
      headers: {
        ...headers,
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: "https://itoc.example.com",
      },
      body: new URLSearchParams({ code }).toString(),
    },
    world.env,
  );
}

/** Presses a button as an unlinked `user`, and links them to `email` through the dashboard. */
async function link(user: string, email: string) {
  const id = await openIncident(`slack/link-${user}`);
  const path = `/slack-link-${user}`;
  expect(
    (await postAction(world.env, pressBody({ action: "acknowledge", incident: id, user, path }))).status,
  ).toBe(200);
  const code = codeIn((await responses(path)).at(-1)?.text);
  expect((await linkPage(email, code, true)).status).toBe(200);
}

const countOf = async (table: string) =>
  (await env.DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<number>("n")) ?? 0;

describe("POST /integrations/slack/actions", () => {
  it("tells an unlinked user to ask an admin when there is no PUBLIC_URL to link with, changing nothing", async () => {
    const id = await openIncident("slack/no-public-url");
    const path = "/slack-no-public-url";
    const press = pressBody({ action: "acknowledge", incident: id, user: "U0NOURL", path });
    expect((await postAction({ ...world.env, PUBLIC_URL: "" }, press)).status).toBe(200);
    const [answer] = await responses(path);
    expect(answer).toMatchObject({ response_type: "ephemeral" });
    expect(String(answer?.text)).toContain("no PUBLIC_URL");
    expect((await incidents.incident(id)).state).toBe("open");
    const codes = await env.DB.prepare(
      "SELECT count(*) AS n FROM slack_link_codes WHERE user_id = 'U0NOURL'",
    ).first<{
      n: number;
    }>();
    expect(codes?.n).toBe(0);
  });

  it("links an unlinked user through a one-time dashboard link, then acts as that person via Slack", async () => {
    const id = await openIncident("slack/linking");
    const path = "/slack-linking";
    const press = pressBody({ action: "acknowledge", incident: id, user: "U0ALICE", path });
    const first = await postAction(world.env, press);
    expect(first.status).toBe(200);
    const [ephemeral] = await responses(path);
    expect(ephemeral).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(String(ephemeral?.text)).toContain("https://itoc.example.com/slack/link?code=");
    expect((await incidents.incident(id)).state).toBe("open");

    const code = codeIn(ephemeral?.text);
    const shown = await linkPage(person("responder"), code);
    expect(shown.status).toBe(200);
    const html = await shown.text();
    expect(html).toContain("Slack user <strong>name-of-U0ALICE</strong> in <strong>acme</strong> is me");
    expect((await linkPage(person("responder"), code, true)).status).toBe(200);
    // Single use: the same link again links nobody.
    expect((await linkPage(person("viewer"), code, true)).status).toBe(400);
    const linked = await env.DB.prepare(
      "SELECT actor, details FROM audit_log WHERE action = 'slack.linked' AND target = ?",
    )
      .bind(`person:${person("responder")}`)
      .all<{ actor: string; details: string }>();
    expect(linked.results).toHaveLength(1);
    expect(JSON.parse(linked.results[0]?.details ?? "{}")).toMatchObject({ team: TEAM, user: "U0ALICE" });

    expect((await postAction(world.env, press)).status).toBe(200);
    const updated = (await responses(path)).at(-1);
    // The channel's message becomes the incident's own message as it reads now: who acknowledged it,
    // and Resolve the only button left.
    expect(updated).toMatchObject({
      replace_original: true,
      text: expect.stringContaining("Incident acknowledged"),
    });
    expect(JSON.stringify(updated)).toContain(`acknowledged by ${person("responder")} via Slack`);
    expect(JSON.stringify(updated).match(/"action_id":"(\w+)"/g)).toEqual(['"action_id":"resolve"']);
    const after = await incidents.incident(id);
    expect(after.state).toBe("acknowledged");
    expect(after.timeline.find((e) => e.type === "acknowledged")?.by).toBe(
      `${person("responder")} via Slack`,
    );
    const audited = await env.DB.prepare(
      "SELECT actor, actor_kind, details FROM audit_log WHERE action = 'incident.acknowledged' AND target = ?",
    )
      .bind(`incident:${id}`)
      .first<{ actor: string; actor_kind: string; details: string }>();
    expect(audited).toMatchObject({ actor: person("responder"), actor_kind: "person" });
    expect(JSON.parse(audited?.details ?? "{}")).toMatchObject({ via: "slack" });

    const auditPage = await dashboardPage(
      `/audit?action=incident.acknowledged&target=incident:${id}`,
      await dashboardSession(),
    );
    expect(await auditPage.text()).toContain(`${person("responder")} via Slack`);

    // A replayed press (Slack retries, a double click) changes nothing and says so.
    const timeline = after.timeline.length;
    expect((await postAction(world.env, press)).status).toBe(200);
    const replayed = (await responses(path)).at(-1);
    expect(replayed).toMatchObject({ response_type: "ephemeral" });
    expect(String(replayed?.text)).toContain("nothing changed");
    expect((await incidents.incident(id)).timeline).toHaveLength(timeline);

    // Resolve from the acknowledged state.
    expect(
      (await postAction(world.env, pressBody({ action: "resolve", incident: id, user: "U0ALICE", path })))
        .status,
    ).toBe(200);
    const resolved = (await responses(path)).at(-1);
    expect(JSON.stringify(resolved)).toContain(`resolved by ${person("responder")} via Slack`);
    expect(JSON.stringify(resolved)).not.toContain("action_id");
    expect((await incidents.incident(id)).state).toBe("resolved");
  });

  it("acts on a press in the /incidents list and leaves the list as it is", async () => {
    await link("U0LIST", person("responder"));
    const id = await openIncident("slack/from-list");
    const path = "/slack-from-list";
    const press = pressBody({
      action: "acknowledge",
      incident: id,
      user: "U0LIST",
      path,
      blockId: listActionsBlock(id),
    });
    expect((await postAction(world.env, press)).status).toBe(200);
    expect((await incidents.incident(id)).state).toBe("acknowledged");
    // Not the incident's message in place of the whole list: a note to the presser alone.
    expect(await responses(path)).toEqual([
      { response_type: "ephemeral", replace_original: false, text: `Incident #${id} acknowledged.` },
    ]);
  });

  it("refuses a user linked to a viewer politely, changing nothing", async () => {
    await link("U0VIEWER", person("viewer"));
    const id = await openIncident("slack/viewer");
    const path = "/slack-viewer";
    expect(
      (await postAction(world.env, pressBody({ action: "resolve", incident: id, user: "U0VIEWER", path })))
        .status,
    ).toBe(200);
    const [answer] = await responses(path);
    expect(answer).toMatchObject({ response_type: "ephemeral" });
    expect(String(answer?.text)).toContain("Only responders and admins");
    expect((await incidents.incident(id)).state).toBe("open");
  });

  it("refuses a bad signature, an old or future timestamp and missing headers with 401, changing nothing", async () => {
    await link("U0BOB", person("admin"));
    const id = await openIncident("slack/forged");
    const path = "/slack-forged";
    const press = pressBody({ action: "resolve", incident: id, user: "U0BOB", path });
    const codes = await countOf("slack_link_codes");
    const cases: [string, Promise<Response>][] = [
      ["bad signature", postAction(world.env, press, { "X-Slack-Signature": `v0=${"0".repeat(64)}` })],
      ["body changed after signing", postAction(world.env, press, { "X-Slack-Signature": "v0=abc" })],
      ["no signature", postAction(world.env, press, { "X-Slack-Signature": "" })],
      ["no timestamp", postAction(world.env, press, { "X-Slack-Request-Timestamp": "" })],
    ];
    for (const [what, pending] of cases) {
      const res = await pending;
      expect(res.status, what).toBe(401);
      expect(res.headers.get("Content-Type")).toContain("application/problem+json");
    }
    expect((await incidents.incident(id)).state).toBe("open");
    expect(await responses(path)).toEqual([]);
    expect(await countOf("slack_link_codes")).toBe(codes);
  });

  it("refuses a timestamp more than five minutes away, either way", async () => {
    const id = await openIncident("slack/stale");
    const path = "/slack-stale";
    const press = pressBody({ action: "resolve", incident: id, user: "U0BOB", path });
    const now = Math.floor(nowMs() / 1000);
    expect((await postAction(world.env, press, {}, now - 301)).status).toBe(401);
    expect((await postAction(world.env, press, {}, now + 301)).status).toBe(401);
    expect((await incidents.incident(id)).state).toBe("open");
    expect(await responses(path)).toEqual([]);
  });

  it("refuses another workspace with 403, and answers 503 without a signing secret", async () => {
    const id = await openIncident("slack/other-team");
    const path = "/slack-other-team";
    const other = pressBody({ action: "resolve", incident: id, user: "U0EVE", path, team: "T0OTHER" });
    expect((await postAction(world.env, other)).status).toBe(403);
    const unconfigured = await postAction({ ...world.env, SLACK_SIGNING_SECRET: "" }, other);
    expect(unconfigured.status).toBe(503);
    expect((await incidents.incident(id)).state).toBe("open");
  });

  it("answers another element's press (the dashboard link) with 200 and does nothing", async () => {
    const id = await openIncident("slack/link-button");
    const path = "/slack-link-button";
    const body = pressBody({ action: "acknowledge", incident: id, user: "U0BOB", path }).replace(
      encodeURIComponent('"action_id":"acknowledge"'),
      encodeURIComponent('"action_id":"constructor"'),
    );
    expect(body).toContain(encodeURIComponent("constructor"));
    expect((await postAction(world.env, body)).status).toBe(200);
    expect(await responses(path)).toEqual([]);
    expect((await incidents.incident(id)).state).toBe("open");
  });

  it("refuses a response_url other than Slack's in production", async () => {
    const id = await openIncident("slack/ssrf");
    const press = pressBody({ action: "resolve", incident: id, user: "U0BOB", path: "/slack-ssrf" });
    expect((await postAction({ ...world.env, ALLOW_PRIVATE_DESTINATIONS: "false" }, press)).status).toBe(400);
    expect((await incidents.incident(id)).state).toBe("open");
  });
});

describe("GET/POST /slack/link", () => {
  it("does not let the admin-token session link a Slack user (it is nobody)", async () => {
    const id = await openIncident("slack/admin-token");
    const path = "/slack-admin-token";
    await postAction(world.env, pressBody({ action: "acknowledge", incident: id, user: "U0CAROL", path }));
    const code = codeIn((await responses(path)).at(-1)?.text);
    const res = await dashboardPage("/slack/link", await dashboardSession(), { code });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("the admin token is nobody");
    expect(await env.DB.prepare("SELECT 1 FROM slack_links WHERE user_id = 'U0CAROL'").first()).toBeNull();
  });

  it("lists a person's Slack users and unlinks only their own, audited", async () => {
    await link("U0DAVE", person("admin"));
    const mine = await linkPage(person("admin"), "");
    expect(await mine.text()).toContain("name-of-U0DAVE in acme");
    const unlinkAs = async (email: string) =>
      callWorker(
        "/slack/unlink",
        {
          method: "POST",
          headers: {
            Accept: "text/html",
            "Cf-Access-Jwt-Assertion": await world.assertionFor(email),
            "Content-Type": "application/x-www-form-urlencoded",
            Origin: "https://itoc.example.com",
          },
          body: new URLSearchParams({ team: TEAM, user: "U0DAVE" }).toString(),
        },
        world.env,
      );
    // Someone else's link is not theirs to take away.
    expect((await unlinkAs(person("viewer"))).status).toBe(400);
    expect(
      await env.DB.prepare("SELECT person FROM slack_links WHERE user_id = 'U0DAVE'").first("person"),
    ).toBe(person("admin"));
    expect((await unlinkAs(person("admin"))).status).toBe(200);
    expect(await env.DB.prepare("SELECT 1 FROM slack_links WHERE user_id = 'U0DAVE'").first()).toBeNull();
    const audited = await env.DB.prepare(
      "SELECT count(*) AS n FROM audit_log WHERE action = 'slack.unlinked' AND target = ?",
    )
      .bind(`person:${person("admin")}`)
      .first<number>("n");
    expect(audited).toBe(1);
    // The next press asks to link again.
    const id = await openIncident("slack/unlinked");
    const path = "/slack-unlinked";
    await postAction(world.env, pressBody({ action: "acknowledge", incident: id, user: "U0DAVE", path }));
    expect((await responses(path)).at(-1)).toMatchObject({ response_type: "ephemeral" });
    expect((await incidents.incident(id)).state).toBe("open");
  });
});
