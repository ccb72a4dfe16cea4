/**
 * Every dashboard page and form × every role, signed in through Cloudflare Access (assertions signed by a
 * key the loopback certs endpoint serves): a role below the route's gets the 403 page saying whom to ask,
 * the route's role and above get through (whatever the route then answers to a made-up id or an empty
 * form). The routes come from the dashboard app itself; a route missing from {@link NEEDS} fails here.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { dashboard } from "../../src/dashboard/app";
import { ROLES, type Role } from "../../src/people/roles";
import { buildPayload, callWorker, createSource, deliver } from "../helpers";
import { accessWorld } from "./access-world";
import { peopleOfEachRole } from "./people-helpers";

const world = await accessWorld("dashboard-roles", { ADMINS: "" });
const ACCESS = world.env;

/** The least role of each page and form, as "METHOD path" the way the app registers it. */
const NEEDS: Record<string, Role> = {
  "GET /": "viewer",
  "GET /needs-attention/rows": "viewer",
  "GET /incidents": "viewer",
  "GET /incidents/:id{[0-9]{1,15}}": "viewer",
  "POST /incidents/:id{[0-9]{1,15}}/acknowledge": "responder",
  "POST /incidents/:id{[0-9]{1,15}}/resolve": "responder",
  "POST /incidents/:id{[0-9]{1,15}}/notifications/:notification{[0-9]{1,15}}/send": "responder",
  "GET /alerts": "viewer",
  "GET /alerts/rows": "viewer",
  "GET /alerts/:id{[0-9]{1,15}}": "viewer",
  "GET /sources": "viewer",
  "POST /sources": "admin",
  "GET /sources/:id/revoke": "admin",
  "POST /sources/:id/revoke": "admin",
  "GET /sources/:id/rotate": "admin",
  "POST /sources/:id/rotate": "admin",
  "GET /sources/:id/policy": "viewer",
  "POST /sources/:id/policy": "admin",
  "GET /dead-letters": "viewer",
  "POST /dead-letters/:id{[0-9]{1,15}}/replay": "admin",
  "GET /dead-letters/:id{[0-9]{1,15}}/discard": "admin",
  "POST /dead-letters/:id{[0-9]{1,15}}/discard": "admin",
  "GET /silences": "viewer",
  "POST /silences": "responder",
  "POST /silences/:id{[0-9]{1,15}}/end": "responder",
  "GET /people": "viewer",
  "POST /people/tokens": "viewer",
  "POST /people/tokens/:id/revoke": "viewer",
  "POST /people/roles": "admin",
  "POST /people/roles/remove": "admin",
  "GET /destinations": "admin",
  "POST /destinations": "admin",
  "POST /destinations/:id/test": "admin",
  "POST /destinations/:id/pause": "admin",
  "POST /destinations/:id/resume": "admin",
  "GET /destinations/:id/delete": "admin",
  "POST /destinations/:id/delete": "admin",
  "GET /jobs": "viewer",
  "GET /jobs/:id{[0-9]{1,15}}": "viewer",
  "GET /insights": "viewer",
  "GET /audit": "admin",
  "GET /slack/link": "viewer",
  "POST /slack/link": "viewer",
  "POST /slack/unlink": "viewer",
};

/** Open to anyone: signing in and out, and the 404 page. */
const PUBLIC = ["GET /login", "POST /login", "POST /logout", "GET /*"];

const routes = [...new Set(dashboard.routes.map((route) => `${route.method} ${route.path}`))];

const concrete = (path: string) =>
  path.replace(/:(\w+)(\{[^}]*\}\})?/g, (_, name: string, pattern?: string) =>
    pattern ? "999999" : name === "id" ? "00000000-0000-4000-8000-000000000000" : "x",
  );

const assertionFor = (email: string) => world.assertionFor(email);

function call(route: string, assertion: string) {
  const [method = "GET", path = "/"] = route.split(" ");
  const post = method === "POST";
  return callWorker(
    concrete(path),
    {
      method,
      redirect: "manual",
      headers: {
        Accept: "text/html",
        "Cf-Access-Jwt-Assertion": assertion,
        ...(post
          ? { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://itoc.example.com" }
          : {}),
      },
      body: post ? "" : undefined,
    },
    ACCESS,
  );
}

let person: (role: Role) => string;

beforeAll(async () => {
  person = await peopleOfEachRole("table");
});

describe("the dashboard's role table", () => {
  it("names the least role of every page and form the dashboard has", () => {
    expect(routes.filter((route) => !(route in NEEDS) && !PUBLIC.includes(route))).toEqual([]);
    expect(Object.keys(NEEDS).filter((route) => !routes.includes(route))).toEqual([]);
  });

  it("refuses a verified person without a role everywhere, with the page saying whom to ask", async () => {
    const nobody = await assertionFor("nobody-of-the-table@example.com");
    for (const route of Object.keys(NEEDS)) {
      const res = await call(route, nobody);
      expect(res.status, route).toBe(403);
      expect(await res.text()).toContain("nobody has given you a role here yet");
    }
  });

  it.each(ROLES)("lets a %s through exactly where its role reaches", async (role) => {
    const assertion = await assertionFor(person(role));
    for (const [route, needed] of Object.entries(NEEDS)) {
      const res = await call(route, assertion);
      if (ROLES.indexOf(role) >= ROLES.indexOf(needed)) {
        expect([401, 403], `${role} ${route}: ${res.status}`).not.toContain(res.status);
      } else {
        expect(res.status, `${role} ${route}`).toBe(403);
        expect(await res.text()).toContain(`a ${role}; this needs the ${needed} role`);
      }
    }
  });

  it("shows Acknowledge and Resolve to responders and admins only", async () => {
    const source = await createSource("role table");
    const failing = buildPayload({ job: "role-table", number: 1, phase: "FINALIZED", status: "FAILURE" });
    expect((await deliver(failing, { token: source.token })).status).toBe(200);
    for (const path of ["/", "/incidents", "/needs-attention/rows"]) {
      for (const role of ROLES) {
        const html = await (await call(`GET ${path}`, await assertionFor(person(role)))).text();
        expect(/action="\/incidents\/\d+\/acknowledge"/.test(html), `${role} ${path}`).toBe(
          role !== "viewer",
        );
      }
    }
  });
});
