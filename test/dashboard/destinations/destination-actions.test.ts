/**
 * What the destinations page does to a destination, through the real Worker and real receivers on
 * loopback (scripts/lib/receivers-setup.ts): a test message sent and its answer shown (a 410 disabling the
 * destination, with why), pause and resume deciding what routing sends, recent deliveries listed, delete
 * behind a confirmation.
 */
import { describe, expect, inject, it } from "vitest";
import { receivedAt } from "../../../fixtures/receivers.ts";
import { eventually } from "../../helpers";
import { incidentSource } from "../../incidents/incident-source";
import { page, signIn } from "../dashboard-client";
import { createFromPage, destinationNamed, html, visit } from "./destination-client";

const receivers = inject("receivers");

/** A destination made from the page (the test project allows loopback receivers), and its id. */
async function made(session: string, fields: Record<string, string | string[]>) {
  const created = await createFromPage(session, fields);
  expect(created.status, created.html).toBe(201);
  const found = await destinationNamed(String(fields.name));
  if (!found) throw new Error(`no destination named ${fields.name}`);
  return found;
}

/** The list's row of destination `id`. */
async function rowOf(session: string, id: number): Promise<string> {
  const { html: list } = await html(visit("/destinations", session));
  const start = list.indexOf(`id="destination-${id}"`);
  expect(start).toBeGreaterThan(-1);
  return list.slice(start, list.indexOf("</tr>", start));
}

describe("Send a test", () => {
  it("sends a test message to the receiver and shows its answer", async () => {
    const session = await signIn();
    const path = "/dash-test-ok";
    const { id } = await made(session, { kind: "webhook", name: "Test me", url: `${receivers.ok}${path}` });
    const answer = await html(visit(`/destinations/${id}/test`, session, {}));
    expect(answer.status).toBe(200);
    expect(answer.html).toMatch(/Test message to “Test me”: answered 200 in \d+ ms\./);
    const [message, ...more] = await receivedAt(receivers.ok, path);
    expect(more).toEqual([]);
    expect(message).toMatchObject({ kind: "webhook", answered: 200 });
    expect(JSON.parse(message?.body ?? "{}")).toMatchObject({ type: "destination.test" });
  });

  it("disables a destination whose receiver answers 410, and the list says why", async () => {
    const session = await signIn();
    const { id } = await made(session, {
      kind: "slack",
      name: "Gone away",
      url: `${receivers.gone}/dash-gone`,
    });
    const answer = await html(visit(`/destinations/${id}/test`, session, {}));
    expect(answer.html).toContain("answered 410, not a success");
    expect(answer.html).toContain("the destination is now disabled");
    const row = await rowOf(session, id);
    expect(row).toContain('<span class="badge s-open">disabled</span>');
    expect(row).toContain("by its receiver (410 Gone)");
    expect(row).toContain(">Resume<");
    expect(await destinationNamed("Gone away")).toMatchObject({
      disabled: true,
      disabled_reason: "410 Gone",
    });
  });
});

describe("Pause and Resume", () => {
  it("a paused destination is left out of routing; resumed, it hears of the next incident", async () => {
    const session = await signIn();
    const { source, finish, incidentOf } = await incidentSource("dashboard: pause");
    const match = { source_id: source.id };
    const paused = await made(session, {
      kind: "slack",
      name: "Pausable",
      url: `${receivers.ok}/dash-paused`,
      ...match,
    });
    const witness = await made(session, {
      kind: "slack",
      name: "Witness",
      url: `${receivers.ok}/dash-witness`,
      ...match,
    });

    const pause = await html(visit(`/destinations/${paused.id}/pause`, session, {}));
    expect(pause).toMatchObject({ status: 303, location: "/destinations" });
    expect(await rowOf(session, paused.id)).toContain('<span class="badge s-quiet">paused</span>');

    await finish("pause/one", 1, "FAILURE");
    // The witness heard of the incident, so routing is done: the paused destination was left out.
    await eventually(
      () => receivedAt(receivers.ok, "/dash-witness"),
      (list) => list.length === 1,
      20_000,
    );
    const first = await incidentOf("pause/one");
    const ours = (n: { destination_id: number }) => [paused.id, witness.id].includes(n.destination_id);
    expect(first.notifications.filter(ours).map((n) => n.destination_id)).toEqual([witness.id]);
    expect(await receivedAt(receivers.ok, "/dash-paused")).toEqual([]);

    expect((await html(visit(`/destinations/${paused.id}/resume`, session, {}))).status).toBe(303);
    expect(await rowOf(session, paused.id)).toContain('<span class="badge s-passing">healthy</span>');
    await finish("pause/two", 1, "FAILURE");
    const arrived = await eventually(
      () => receivedAt(receivers.ok, "/dash-paused"),
      (list) => list.length === 1,
      20_000,
    );
    expect(arrived[0]?.kind).toBe("slack");

    // Its recent deliveries: the second incident's, delivered, linked to the incident.
    const second = await incidentOf("pause/two");
    const row = await eventually(
      () => rowOf(session, paused.id),
      (text) => text.includes("delivered"),
    );
    expect(row).toContain(`<a href="/incidents/${second.id}">#${second.id}</a> opened: delivered 200`);
    expect(row).not.toContain(`#${first.id}<`);
  });
});

describe("Delete", () => {
  it("asks first, then deletes; an unknown id goes back to the list", async () => {
    const session = await signIn();
    const { id } = await made(session, { kind: "teams", name: "Doomed", url: `${receivers.ok}/dash-doomed` });
    const confirm = await html(visit(`/destinations/${id}/delete`, session));
    expect(confirm.status).toBe(200);
    expect(confirm.html).toContain("Delete “Doomed”?");
    expect(confirm.html).toContain(`action="/destinations/${id}/delete"`);
    expect(await destinationNamed("Doomed")).toBeDefined();

    const deleted = await html(visit(`/destinations/${id}/delete`, session, {}));
    expect(deleted).toMatchObject({ status: 303, location: "/destinations" });
    expect(await destinationNamed("Doomed")).toBeUndefined();
    expect((await html(visit(`/destinations/${id}/delete`, session))).status).toBe(303);
    expect((await html(visit("/destinations/not-an-id/delete", session))).status).toBe(303);
  });

  it("needs a session and a same-origin form post", async () => {
    const session = await signIn();
    const { id } = await made(session, {
      kind: "teams",
      name: "Guarded",
      url: `${receivers.ok}/dash-guarded`,
    });
    const anonymous = await html(visit(`/destinations/${id}/delete`, "", {}));
    expect(anonymous.status).not.toBe(303);
    for (const action of ["delete", "pause", "test"]) {
      const foreign = await page(
        `/destinations/${id}/${action}`,
        {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://evil.example" },
          body: "",
        },
        session,
      );
      expect(foreign.status, action).toBe(403);
    }
    expect(await destinationNamed("Guarded")).toMatchObject({ disabled: false });
    expect(await destinationNamed("Guarded")).toBeDefined();
    expect((await html(visit("/destinations", ""))).html).not.toContain("Guarded");
  });
});
