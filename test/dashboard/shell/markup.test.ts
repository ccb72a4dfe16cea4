/**
 * What the dashboard's markup promises assistive technology and small screens: a skip link, every
 * cell labelled with its column (for rows stacked as cards), live regions for new alerts and
 * incidents, named header cells and buttons, payloads that take focus. axe-core checks the rendered
 * pages in e2e/.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { api, buildPayload, createDestination, createSource, deliver } from "../../helpers";
import { page, signIn } from "../dashboard-client";

let session: string;
let sourceId: string;
let alertId: number;
let incidentId: number;

/** The test's paths, with the ids of what beforeAll created. */
const pathOf = (path: string) =>
  path.replace("/alerts/1", `/alerts/${alertId}`).replace("/incidents/1", `/incidents/${incidentId}`);

beforeAll(async () => {
  session = await signIn();
  const { id, token } = await createSource("markup");
  sourceId = id;
  for (const phase of ["STARTED", "COMPLETED"]) {
    const status = phase === "COMPLETED" ? "FAILURE" : undefined;
    const res = await deliver(buildPayload({ job: "markup/payments-api", number: 131, phase, status }), {
      token,
    });
    ({ alert_id: alertId } = (await res.json()) as { alert_id: number });
  }
  const listed = await api(`/api/incidents?source_id=${sourceId}`);
  [{ id: incidentId }] = ((await listed.json()) as { incidents: [{ id: number }] }).incidents;
  // A job no build has: listed on its page, never sent anything.
  const match = { job: "markup/nothing/**" };
  await createDestination({ name: "markup", kind: "slack", url: "https://hooks.example.com/x", match });
});

const html = async (path: string) => (await page(path, {}, session)).text();

/** Each table's header texts, and the `data-label` of every cell, row by row. */
function tables(markup: string) {
  return [...markup.matchAll(/<table class="stack[^"]*">([\s\S]*?)<\/table>/g)].map(([, table = ""]) => ({
    headers: [...table.matchAll(/<th>(?:<span class="visually-hidden">)?([^<]*)/g)].map((m) => m[1]),
    rows: [...table.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)]
      .slice(1)
      .map(([, row = ""]) => [...row.matchAll(/<td data-label="([^"]*)"/g)].map((m) => m[1])),
  }));
}

describe("every page", () => {
  it.each([
    "/",
    "/incidents",
    "/incidents/1",
    "/alerts",
    "/jobs",
    "/sources",
    "/destinations",
    "/people",
    "/alerts/1",
    "/login",
  ])("%s starts with a skip link to the content", async (path) => {
    const markup = await html(pathOf(path));
    expect(markup).toMatch(/<body><a class="skip" href="#content">Skip to content<\/a>/);
    expect(markup).toContain('<main id="content" tabindex="-1">');
  });
});

describe("tables", () => {
  it.each([
    ["/", 1],
    ["/incidents", 1],
    ["/incidents/1", 2],
    ["/alerts", 1],
    ["/jobs", 1],
    ["/sources", 1],
    ["/destinations", 1],
    ["/alerts/1", 1],
  ])("%s labels every cell with its column", async (path, count) => {
    const found = tables(await html(pathOf(path)));
    expect(found).toHaveLength(count);
    for (const { headers, rows } of found) {
      expect(rows.length).toBeGreaterThan(0);
      for (const labels of rows) expect(labels).toEqual(headers);
      expect(headers.every((header) => header && header.trim().length > 0)).toBe(true);
    }
  });

  it("names the sources table's action column, for screen readers only", async () => {
    expect(await html("/sources")).toContain('<th><span class="visually-hidden">Actions</span></th>');
  });
});

describe("the alerts page", () => {
  it("has a polite live region for new alerts, and each row says how it is announced", async () => {
    const markup = await html(`/alerts?source_id=${sourceId}`);
    expect(markup).toContain('<div id="announcer" class="visually-hidden" role="status" aria-live="polite"');
    expect(markup).toContain('data-announce="payments-api #131 FAILURE, HIGH"');
    expect(markup).not.toMatch(/<table[^>]*aria-live/);
  });
});

describe("the needs-attention page", () => {
  it("has a polite live region, each row says how it is announced, and each button names its incident", async () => {
    const markup = await html("/");
    expect(markup).toContain('<div id="announcer" class="visually-hidden" role="status" aria-live="polite"');
    expect(markup).toContain('data-announce="markup/payments-api failure, HIGH"');
    expect(markup).toContain('Acknowledge<span class="visually-hidden"> markup/payments-api</span></button>');
    expect(markup).toContain('Resolve<span class="visually-hidden"> markup/payments-api</span></button>');
  });
});

describe("an alert's payloads", () => {
  it("scroll inside a named region that takes keyboard focus", async () => {
    const markup = await html(`/alerts/${alertId}`);
    expect(markup).toContain(
      '<section class="payload" tabindex="0" aria-label="Payload of event 1, STARTED (JSON)">',
    );
    expect(markup).toContain('aria-label="Payload of event 2, COMPLETED (JSON)"');
  });
});
