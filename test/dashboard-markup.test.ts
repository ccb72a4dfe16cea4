/**
 * What the dashboard's markup promises assistive technology and small screens: a skip link, every
 * cell labelled with its column (for rows stacked as cards), a live region for new alerts, named
 * header cells, payloads that take focus. axe-core checks the rendered pages in e2e/.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { page, signIn } from "./dashboard-client";
import { createSource, deliver, notification } from "./helpers";

let session: string;
let alertId: number;

beforeAll(async () => {
  session = await signIn();
  const { token } = await createSource("markup");
  for (const phase of ["STARTED", "COMPLETED"]) {
    const status = phase === "COMPLETED" ? "FAILURE" : undefined;
    const res = await deliver(notification({ job: "markup/payments-api", number: 131, phase, status }), {
      token,
    });
    ({ alert_id: alertId } = (await res.json()) as { alert_id: number });
  }
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
  it.each(["/", "/jobs", "/sources", "/alerts/1", "/login"])(
    "%s starts with a skip link to the content",
    async (path) => {
      const markup = await html(path === "/alerts/1" ? `/alerts/${alertId}` : path);
      expect(markup).toMatch(/<body><a class="skip" href="#content">Skip to content<\/a>/);
      expect(markup).toContain('<main id="content" tabindex="-1">');
    },
  );
});

describe("tables", () => {
  it.each(["/", "/jobs", "/sources", "/alerts/1"])("%s labels every cell with its column", async (path) => {
    const found = tables(await html(path === "/alerts/1" ? `/alerts/${alertId}` : path));
    expect(found).toHaveLength(1);
    const [{ headers, rows } = { headers: [], rows: [] }] = found;
    expect(rows.length).toBeGreaterThan(0);
    for (const labels of rows) expect(labels).toEqual(headers);
    expect(headers.every((header) => header && header.trim().length > 0)).toBe(true);
  });

  it("names the sources table's action column, for screen readers only", async () => {
    expect(await html("/sources")).toContain('<th><span class="visually-hidden">Actions</span></th>');
  });
});

describe("the alerts page", () => {
  it("has a polite live region for new alerts, and each row says how it is announced", async () => {
    const markup = await html("/?job=markup%2Fpayments-api");
    expect(markup).toContain('<div id="announcer" class="visually-hidden" role="status" aria-live="polite"');
    expect(markup).toContain('data-announce="payments-api #131 FAILURE, HIGH"');
    expect(markup).not.toMatch(/<table[^>]*aria-live/);
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
