/**
 * Recoveries, job health and incidents over generated histories (overlapping builds, builds that never finish,
 * every result), delivered in random order with duplicates and in parallel, and one at a time as Jenkins
 * sends them (concurrent builds interleaving, COMPLETED after FINALIZED): the stored outcome must
 * match the reference model whatever the order, and every incident's timeline must agree with it.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ARRIVAL_ORDERS, type ArrivalOrder, arrivals } from "../../fixtures/delivery-orders";
import { deliveriesFor, expectedAlert, expectedJob, randomHistory } from "../../fixtures/health-model";
import { expectedIncidents } from "../../fixtures/incident-model";
import { random } from "../../fixtures/random";
import { api, createSource, JSON_TYPE } from "../helpers";
import type { ApiIncident } from "../incidents/incident-source";

async function sendInParallel(bodies: Record<string, unknown>[], token: string, lanes = 6) {
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        const res = await exports.default.fetch(`https://itoc.example.com/webhooks/jenkins?token=${token}`, {
          method: "POST",
          headers: { "Content-Type": JSON_TYPE },
          body: JSON.stringify(body),
        });
        expect(res.status).toBe(200);
      }
    }),
  );
}

/** 56: a red build that finished between a green build's COMPLETED and its FINALIZED. */
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 56];

/** Generates history `seed`, delivers it as `send` says, and holds the outcome to the models. */
async function checkHistory(
  seed: number,
  send: (bodies: Record<string, unknown>[], token: string, rand: () => number) => Promise<void>,
) {
  const rand = random(seed);
  const { id: sourceId, token } = await createSource(`history ${seed}`);
  // Incidents after 1, 2 or 3 paging builds in a row, by seed.
  const minFailures = 1 + (seed % 3);
  const policy = { min_consecutive_failures: minFailures };
  const patched = await api(`/api/sources/${sourceId}`, {
    method: "PATCH",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ policy }),
  });
  expect(patched.status).toBe(200);
  const job = `generated/job-${seed}`;
  const builds = randomHistory(rand, 6 + Math.floor(rand() * 10));
  await send(
    builds.flatMap((b) => deliveriesFor(job, b)),
    token,
    rand,
  );

  const listed = (await (await api(`/api/alerts?source_id=${sourceId}&state=open&limit=200`)).json()) as {
    alerts: { build_number: number }[];
  };
  const resolved = (await (
    await api(`/api/alerts?source_id=${sourceId}&state=resolved&limit=200`)
  ).json()) as {
    alerts: { build_number: number; resolved_by_build: number }[];
  };
  const actual = new Map<number, { state: string; resolved_by_build: number | null }>();
  for (const a of listed.alerts) actual.set(a.build_number, { state: "open", resolved_by_build: null });
  for (const a of resolved.alerts)
    actual.set(a.build_number, { state: "resolved", resolved_by_build: a.resolved_by_build });
  for (const build of builds) {
    expect({ build: build.number, ...actual.get(build.number) }).toEqual({
      build: build.number,
      ...expectedAlert(builds, build),
    });
  }

  const { jobs } = (await (await api(`/api/jobs?source_id=${sourceId}`)).json()) as {
    jobs: Record<string, unknown>[];
  };
  expect(jobs).toHaveLength(1);
  expect(jobs[0]).toMatchObject({ job, ...expectedJob(builds) });

  const { incidents } = (await (await api(`/api/incidents?source_id=${sourceId}&limit=200`)).json()) as {
    incidents: ApiIncident[];
  };
  const fields = [
    "first_build",
    "last_build",
    "build_count",
    "state",
    "resolved_by_build",
    "priority",
  ] as const;
  // A green build arriving late inside a streak splits it: the part below may fall short of
  // min_consecutive_failures, and stays as the resolved incident it already was.
  const actualIncidents = incidents
    .filter((incident) => Number(incident.build_count) >= minFailures)
    .map((incident) => Object.fromEntries(fields.map((field) => [field, incident[field]])))
    .sort((a, b) => Number(a.first_build) - Number(b.first_build));
  expect(actualIncidents).toEqual(expectedIncidents(builds, minFailures));
  const open = incidents.filter((incident) => incident.state !== "resolved");
  expect(open.length).toBeLessThanOrEqual(1);
  expect(open.every((incident) => Number(incident.build_count) >= minFailures)).toBe(true);
  await expectTimelinesAgree(sourceId, incidents);
}

/**
 * The timeline invariant, for every incident: its `opened` and `joined` entries name exactly its
 * builds, each once; its `resolved` entry names `resolved_by_build`, and only a resolved one has it.
 */
async function expectTimelinesAgree(sourceId: string, incidents: ApiIncident[]) {
  const { alerts } = (await (await api(`/api/alerts?source_id=${sourceId}&limit=200`)).json()) as {
    alerts: { id: number; build_number: number }[];
  };
  const buildOf = new Map(alerts.map((alert) => [alert.id, alert.build_number]));
  const ascending = (a: number, b: number) => a - b;
  for (const { id, alert_ids } of incidents) {
    const { timeline, ...incident } = (await (await api(`/api/incidents/${id}`)).json()) as ApiIncident;
    const named = (...types: string[]) =>
      timeline.filter((entry) => types.includes(entry.type)).map((entry) => entry.build_number);
    expect({ id, builds: named("opened", "joined").sort(ascending as never) }).toEqual({
      id,
      builds: alert_ids.map((alertId) => buildOf.get(alertId)).sort(ascending as never),
    });
    expect({ id, opened: named("opened").length }).toEqual({ id, opened: 1 });
    expect({ id, resolved: named("resolved") }).toEqual({
      id,
      resolved: incident.state === "resolved" ? [incident.resolved_by_build] : [],
    });
  }
}

describe("recoveries, job health and incidents over generated histories", () => {
  for (const seed of SEEDS) {
    it(`history ${seed} ends the same whatever the delivery order`, () =>
      checkHistory(seed, async (bodies, token, rand) => {
        const withDuplicates = [...bodies, ...bodies.filter(() => rand() < 0.1)];
        withDuplicates.sort(() => rand() - 0.5);
        await sendInParallel(withDuplicates, token);
      }));
  }

  describe.each(ARRIVAL_ORDERS)("delivered one at a time, %s", (order: ArrivalOrder) => {
    for (const seed of SEEDS) {
      it(`history ${seed} ends as the models say, its timelines agreeing with its incidents`, () =>
        checkHistory(seed, (bodies, token, rand) => sendInParallel(arrivals(bodies, order, rand), token, 1)));
    }
  });
});
