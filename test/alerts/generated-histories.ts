/**
 * Generated histories (overlapping builds, builds that never finish, every result) and the check that a
 * source's stored outcome matches the reference models ({@link expectedAlert}, {@link expectedJob},
 * {@link expectedIncidents}) whatever way the deliveries arrived: through the webhook
 * (recovery-rules.test.ts) or through the queue consumer (queued-histories.test.ts).
 */
import { expect } from "vitest";
import { deliveriesFor, expectedAlert, expectedJob, randomHistory } from "../../fixtures/health-model";
import { expectedIncidents } from "../../fixtures/incident-model";
import { random } from "../../fixtures/random";
import { api, createSource } from "../helpers";
import type { ApiIncident } from "../incidents/incident-source";

/** 56: a red build that finished between a green build's COMPLETED and its FINALIZED. */
export const HISTORY_SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 56];

/** Incidents after 1, 2 or 3 paging builds in a row, by seed. */
export const minFailuresFor = (seed: number) => 1 + (seed % 3);

export type Body = Record<string, unknown>;
export interface TestSource {
  id: string;
  token: string;
}

/** `bodies` in random order, about one in ten twice (a plugin retry, a queue redelivery). */
export function shuffledWithDuplicates(bodies: Body[], rand: () => number): Body[] {
  const withDuplicates = [...bodies, ...bodies.filter(() => rand() < 0.1)];
  return withDuplicates.sort(() => rand() - 0.5);
}

/** A new source whose noise policy is `policy` (min_consecutive_failures and the rest). */
export async function sourceWithPolicy(name: string, policy: Record<string, unknown>): Promise<TestSource> {
  const source = await createSource(name);
  const patched = await api(`/api/sources/${source.id}`, {
    method: "PATCH",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ policy }),
  });
  expect(patched.status).toBe(200);
  return source;
}

/** Generates history `seed`, delivers it as `send` says, and holds the outcome to the models. */
export async function checkHistory(
  seed: number,
  send: (bodies: Body[], source: TestSource, rand: () => number) => Promise<void>,
) {
  const rand = random(seed);
  const minFailures = minFailuresFor(seed);
  const source = await sourceWithPolicy(`history ${seed}`, { min_consecutive_failures: minFailures });
  const sourceId = source.id;
  const job = `generated/job-${seed}`;
  const builds = randomHistory(rand, 6 + Math.floor(rand() * 10));
  await send(
    builds.flatMap((b) => deliveriesFor(job, b)),
    source,
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
