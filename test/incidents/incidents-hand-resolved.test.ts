/**
 * Failure incidents resolved by hand: sequences of deliveries that must keep at most one open
 * incident per job and never swallow a new failure streak.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, buildPayload, createSource, deliver } from "../helpers";

interface ApiIncident {
  id: number;
  state: string;
  first_build: number | null;
  last_build: number | null;
  resolved_by: string | null;
  alert_ids: number[];
}

async function setup(name: string) {
  const source = await createSource(name);
  const finish = async (job: string, number: number, status: string) => {
    for (const phase of ["COMPLETED", "FINALIZED"]) {
      const res = await deliver(buildPayload({ job, number, phase, status }), { token: source.token });
      expect(res.status).toBe(200);
    }
  };
  const incidents = async () => {
    const res = await api(`/api/incidents?source_id=${source.id}`);
    return ((await res.json()) as { incidents: ApiIncident[] }).incidents;
  };
  const resolve = (id: number) => api(`/api/incidents/${id}/resolve`, { method: "POST" });
  return { source, finish, incidents, resolve };
}

describe("a late green inside an incident resolved by hand", () => {
  it("does not reopen builds resolved by hand", async () => {
    const { finish, incidents, resolve } = await setup("manual split");
    await finish("api", 1, "FAILURE");
    await finish("api", 3, "FAILURE");
    const [first] = await incidents();
    expect((await resolve(first?.id ?? 0)).status).toBe(200);
    await finish("api", 2, "SUCCESS"); // late: ran longer than build 3
    // Builds 1 and 3 were resolved by hand: nothing may be open now.
    expect((await incidents()).filter((i) => i.state !== "resolved")).toEqual([]);
  });

  it("keeps the next streak's incident, resolves it by green, and opens the one after", async () => {
    const { source, finish, incidents, resolve } = await setup("manual fence lost");
    await finish("api", 1, "FAILURE");
    await finish("api", 3, "FAILURE");
    const [first] = await incidents();
    expect((await resolve(first?.id ?? 0)).status).toBe(200);
    await finish("api", 4, "FAILURE"); // a new streak after the hand resolve: a new incident
    const [second] = await incidents();
    expect(second).toMatchObject({ state: "open", first_build: 4 });

    await finish("api", 2, "SUCCESS"); // late green below the hand-resolved incident's last build
    await finish("api", 5, "SUCCESS"); // ends the streak: nothing is open after it
    await finish("api", 6, "FAILURE"); // a new streak: it must page
    const now = (await incidents()).filter((i) => i.state !== "resolved");
    expect(now.map((i) => i.first_build)).toEqual([6]);
    const stuck = await env.DB.prepare(
      "SELECT count(*) AS n FROM alerts WHERE source_id = ?1 AND build_number = 6 AND incident_id IS NULL",
    )
      .bind(source.id)
      .first<{ n: number }>();
    expect(stuck?.n).toBe(0);
  });

  it("resolves the next streak's incident by its green", async () => {
    const { finish, incidents, resolve } = await setup("manual fence lost, stuck open");
    await finish("api", 1, "FAILURE");
    await finish("api", 3, "FAILURE");
    const [first] = await incidents();
    expect((await resolve(first?.id ?? 0)).status).toBe(200);
    await finish("api", 4, "FAILURE");
    await finish("api", 2, "SUCCESS");
    await finish("api", 5, "SUCCESS");
    expect((await incidents()).filter((i) => i.state !== "resolved")).toEqual([]);
  });
});
