/**
 * Each role sees only the controls it may use: for every page and role, signed in through Cloudflare
 * Access, a control's form action (or link) is on the page exactly when the role reaches the least role
 * its route checks (dashboard-roles.test.ts's table), with a line saying which role it needs in its
 * place; the header links to Destinations and Audit for admins only; the admin-token session sees
 * everything as before.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { isAtLeast, ROLES, type Role } from "../../src/people/roles";
import { nowIso } from "../../src/platform/clock";
import {
  api,
  buildPayload,
  callWorker,
  createSource,
  dashboardPage,
  dashboardSession,
  deliver,
} from "../helpers";
import { accessWorld } from "./access-world";
import { JSON_HEADERS, peopleOfEachRole } from "./people-helpers";

const world = await accessWorld("dashboard-controls", { ADMINS: "" });

let person: (role: Role) => string;

/** A page as `role` sees it through Access (200 expected). */
async function pageAs(role: Role, path: string) {
  const res = await callWorker(
    path,
    { headers: { Accept: "text/html", "Cf-Access-Jwt-Assertion": await world.assertionFor(person(role)) } },
    world.env,
  );
  expect(res.status, `${role} ${path}`).toBe(200);
  return res.text();
}

interface Control {
  page: string;
  /** The control's form action or link, as written in the page's HTML. */
  markup: string;
  needs: Role;
}

let controls: Control[];
let source: { id: string; token: string };

beforeAll(async () => {
  person = await peopleOfEachRole("controls");
  source = await createSource("controls");
  const policy = await api(`/api/sources/${source.id}`, {
    method: "PATCH",
    headers: JSON_HEADERS,
    body: JSON.stringify({ policy: { jobs: { include: ["acme/**"], exclude: ["sandbox/**"] } } }),
  });
  expect(policy.status).toBe(200);
  const failing = buildPayload({ job: "acme/controls", number: 1, phase: "FINALIZED", status: "FAILURE" });
  expect((await deliver(failing, { token: source.token })).status).toBe(200);
  const incident = await env.DB.prepare("SELECT id FROM incidents WHERE source_id = ?1")
    .bind(source.id)
    .first<number>("id");
  // A delivered notification of it (as the notify consumer leaves one), which may be sent again.
  const at = nowIso();
  const notification = await env.DB.prepare(
    `INSERT INTO notifications (incident_id, destination_id, event, state, attempts, last_status, created_at,
       next_attempt_at, delivered_at)
     VALUES (?1, 424242, 'opened', 'delivered', 1, 200, ?2, ?2, ?2) RETURNING id`,
  )
    .bind(incident, at)
    .first<number>("id");
  const silence = await api("/api/silences", {
    method: "POST",
    headers: JSON_HEADERS,
    body: JSON.stringify({
      match: { source_id: source.id },
      starts_at: at,
      ends_at: new Date(Date.parse(at) + 3_600_000).toISOString(),
      comment: "controls",
    }),
  });
  expect(silence.status).toBe(201);
  const silenceId = ((await silence.json()) as { id: number }).id;
  // A dead letter as the dead-letter consumer stores one (what it holds does not matter here).
  const letter = await env.DB.prepare(
    `INSERT INTO dead_letters (message_id, queue, body, reason, attempts, dead_at)
     VALUES ('controls-1', 'itoc360-jenkins-events', '{}', 'controls', 10, ?1) RETURNING id`,
  )
    .bind(at)
    .first<number>("id");
  const policyPage = `/sources/${source.id}/policy`;
  controls = [
    { page: "/sources", markup: 'action="/sources"', needs: "admin" },
    { page: "/sources", markup: `href="/sources/${source.id}/rotate"`, needs: "admin" },
    { page: "/sources", markup: `href="/sources/${source.id}/revoke"`, needs: "admin" },
    { page: "/sources", markup: `href="${policyPage}"`, needs: "viewer" },
    { page: policyPage, markup: `action="${policyPage}"`, needs: "admin" },
    { page: "/silences", markup: 'action="/silences"', needs: "responder" },
    { page: "/silences", markup: `action="/silences/${silenceId}/end"`, needs: "responder" },
    { page: "/dead-letters", markup: `action="/dead-letters/${letter}/replay"`, needs: "admin" },
    { page: "/dead-letters", markup: `href="/dead-letters/${letter}/discard"`, needs: "admin" },
    {
      page: `/incidents/${incident}`,
      markup: `action="/incidents/${incident}/notifications/${notification}/send"`,
      needs: "responder",
    },
    {
      page: `/incidents/${incident}`,
      markup: `action="/incidents/${incident}/acknowledge"`,
      needs: "responder",
    },
    ...["/", "/sources", "/silences", "/people"].flatMap((page) => [
      { page, markup: 'href="/destinations"', needs: "admin" as const },
      { page, markup: 'href="/audit"', needs: "admin" as const },
      { page, markup: 'href="/dead-letters"', needs: "viewer" as const },
    ]),
  ];
});

/** The line standing in for each page's hidden controls, and the least role they need. */
const NEEDS_LINES: [string, string, Role][] = [
  ["/sources", "Adding, rotating and revoking sources needs the admin role.", "admin"],
  ["/silences", "Creating and ending silences needs the responder role.", "responder"],
  ["/dead-letters", "Replaying and discarding needs the admin role.", "admin"],
];

describe("the dashboard's controls by role", () => {
  it.each(ROLES)("shows a %s exactly the controls its role reaches", async (role) => {
    const pages = new Map<string, string>();
    for (const control of controls) {
      if (!pages.has(control.page)) pages.set(control.page, await pageAs(role, control.page));
      expect(
        pages.get(control.page)?.includes(control.markup),
        `${role} ${control.page} ${control.markup}`,
      ).toBe(isAtLeast(role, control.needs));
    }
  });

  it.each(ROLES)("tells a %s which role a hidden control needs, in its place", async (role) => {
    for (const [page, line, needs] of NEEDS_LINES) {
      expect((await pageAs(role, page)).includes(line), `${role} ${page}`).toBe(!isAtLeast(role, needs));
    }
  });

  it("shows a viewer the noise policy as text, and whom changing it needs", async () => {
    const html = await pageAs("viewer", `/sources/${source.id}/policy`);
    expect(html).toContain('id="policy-text"');
    expect(html).toContain("<code>acme/**</code>");
    expect(html).toContain("<code>sandbox/**</code>");
    expect(html).toContain("Changing the policy needs the admin role.");
    expect(html).not.toContain("<textarea");
    expect(await pageAs("admin", `/sources/${source.id}/policy`)).not.toContain('id="policy-text"');
  });

  it("shows the admin-token session every control, and no line about roles", async () => {
    const session = await dashboardSession();
    const pages = new Map<string, string>();
    for (const { page, markup } of controls) {
      if (!pages.has(page)) pages.set(page, await (await dashboardPage(page, session)).text());
      expect(pages.get(page), `${page} ${markup}`).toContain(markup);
    }
    for (const html of pages.values()) expect(html).not.toContain("needs-role");
  });
});
