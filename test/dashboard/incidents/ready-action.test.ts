/**
 * A Teams card's Acknowledge / Resolve link opens the incident's page with `?action=`: signed in through
 * Access, a responder finds the form with that action ready (its button highlighted, a sentence saying
 * why) and the incident unchanged until they press it; a viewer sees the page as always, without the form;
 * any other value is ignored.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../../src/people/roles";
import { api, callWorker } from "../../helpers";
import { incidentSource } from "../../incidents/incident-source";
import { accessWorld } from "../../people/access-world";
import { JSON_HEADERS, peopleOfEachRole } from "../../people/people-helpers";

const world = await accessWorld("ready-action", { ADMINS: "" });

let person: (role: Role) => string;
let source: Awaited<ReturnType<typeof incidentSource>>;
let id: number;

beforeAll(async () => {
  person = await peopleOfEachRole("ready-action");
  source = await incidentSource("ready action");
  await source.finish("ra/web-shop/main", 3, "FAILURE");
  id = (await source.incidents())[0]?.id ?? 0;
});

/** The incident's page with `query`, as `role` sees it through Access. */
async function pageAs(role: Role, query: string) {
  const headers = { Accept: "text/html", "Cf-Access-Jwt-Assertion": await world.assertionFor(person(role)) };
  const res = await callWorker(`/incidents/${id}${query}`, { headers }, world.env);
  expect(res.status).toBe(200);
  return res.text();
}

/** The act form's buttons, each as written in the page. */
const buttons = (page: string) => [...page.matchAll(/<button type="submit"[^>]*>/g)].map(([tag]) => tag);

describe("an incident's page opened from a Teams card", () => {
  it("readies Acknowledge for a responder, and acting waits for the button", async () => {
    const page = await pageAs("responder", "?action=acknowledge");
    expect(page).toContain("You came from Teams to acknowledge this incident. Press Acknowledge to do it.");
    expect(buttons(page)).toEqual([
      `<button type="submit" formaction="/incidents/${id}/acknowledge" class="ready">`,
      '<button type="submit" class="secondary">',
    ]);
    expect((await source.incident(id)).state).toBe("open");
  });

  it("readies Resolve the same way", async () => {
    const page = await pageAs("responder", "?action=resolve");
    expect(page).toContain("You came from Teams to resolve this incident. Press Resolve to do it.");
    expect(buttons(page)).toContain('<button type="submit" class="secondary ready">');
    expect((await source.incident(id)).state).toBe("open");
  });

  it("shows a viewer the page as always: no form, nothing ready", async () => {
    const page = await pageAs("viewer", "?action=acknowledge");
    expect(page).not.toContain(`action="/incidents/${id}/resolve"`);
    expect(page).not.toContain("You came from Teams");
    expect(buttons(page)).toEqual([]);
  });

  it("ignores any other value: the form as without it", async () => {
    const plain = await pageAs("responder", "");
    for (const query of ["?action=delete", "?action=", "?action=Acknowledge", "?action[]=resolve"]) {
      const page = await pageAs("responder", query);
      expect(page, query).not.toContain("You came from Teams");
      expect(buttons(page), query).toEqual(buttons(plain));
      expect(page, query).not.toContain('class="ready"');
    }
  });

  it("says when the incident was acknowledged since, leaving Resolve to press", async () => {
    const done = await api(`/api/incidents/${id}/acknowledge`, {
      method: "POST",
      headers: JSON_HEADERS,
      body: "{}",
    });
    expect(done.status).toBe(200);
    const page = await pageAs("responder", "?action=acknowledge");
    expect(page).toContain("You came from Teams to acknowledge this incident: it is already acknowledged.");
    expect(buttons(page)).toEqual(['<button type="submit" class="secondary">']);
  });
});
