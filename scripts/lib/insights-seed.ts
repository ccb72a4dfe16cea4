/**
 * A plausible month of builds for `npm run screenshot` (seeded, so the picture is the same every run):
 * six jobs of one Jenkins, each breaking now and then, some acknowledged, most going green again, two
 * still red. {@link seedPlan} lays the history out; the builds go through the real webhook, and
 * {@link backdateSql} then moves each build's and incident's times to where the plan puts them, as a
 * Worker whose clock cannot be moved (src/platform/clock.ts) could not have recorded them itself.
 */
import { random } from "../../fixtures/random.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** One build as the plan delivers it, and when it should read as first seen. */
export interface PlannedBuild {
  job: string;
  number: number;
  status: "SUCCESS" | "FAILURE" | "UNSTABLE";
  at: number;
}

/** A failure streak's incident: opened by its first build, acknowledged and resolved (or not yet). */
export interface PlannedIncident {
  job: string;
  firstBuild: number;
  openedAt: number;
  acknowledgedAt: number | null;
  resolvedAt: number | null;
}

/** Jobs and the mean days between their breakages: the first ones are the noisy ones. */
const JOBS: [string, number][] = [
  ["acme/web-shop", 2],
  ["acme/payments-api", 3],
  ["acme/mobile-app", 4],
  ["acme/nightly-e2e", 5],
  ["acme/infra-terraform", 9],
  ["acme/docs-site", 14],
];

/** The builds (in delivery order per job) and incidents of the `days` days before `now`. */
export function seedPlan(now: number, days = 30, seed = 24) {
  const next = random(seed);
  const between = (lo: number, hi: number) => lo + next() * (hi - lo);
  const builds: PlannedBuild[] = [];
  const incidents: PlannedIncident[] = [];
  for (const [j, [job, gapDays]] of JOBS.entries()) {
    let number = 100 + 37 * j;
    let t = now - days * DAY + between(0, gapDays * DAY);
    // The last two jobs end red: their last streak never resolves.
    const endsRed = j === 1 || j === 3;
    while (t < now - 6 * HOUR) {
      builds.push({ job, number: number++, status: "SUCCESS", at: t - between(HOUR, 6 * HOUR) });
      const failing = 1 + Math.floor(next() * 3);
      const firstBuild = number;
      for (let k = 0; k < failing; k++)
        builds.push({
          job,
          number: number++,
          status: next() < 0.25 ? "UNSTABLE" : "FAILURE",
          at: t + k * HOUR,
        });
      const acknowledgedAt = next() < 0.7 ? t + between(2 * 60_000, HOUR) : null;
      let resolvedAt: number | null = t + failing * HOUR + between(10 * 60_000, 30 * HOUR);
      const nextT = resolvedAt + between(0.5, 2 * gapDays) * DAY;
      if (resolvedAt >= now - HOUR || (endsRed && nextT >= now - 6 * HOUR)) resolvedAt = null;
      if (resolvedAt !== null) builds.push({ job, number: number++, status: "SUCCESS", at: resolvedAt });
      incidents.push({ job, firstBuild, openedAt: t, acknowledgedAt, resolvedAt });
      if (resolvedAt === null) break;
      t = nextT;
    }
  }
  return { builds, incidents };
}

const iso = (ms: number | null) => (ms === null ? "NULL" : `'${new Date(ms).toISOString()}'`);
const text = (value: string) => `'${value.replaceAll("'", "''")}'`;

/** SQL that gives every planned build and incident of `sourceId` its planned times. */
export function backdateSql(sourceId: string, plan: ReturnType<typeof seedPlan>): string {
  const source = `source_id = ${text(sourceId)}`;
  const alerts = plan.builds.map(
    (b) =>
      `UPDATE alerts SET first_seen_at = ${iso(b.at)}, last_seen_at = ${iso(b.at)} ` +
      `WHERE ${source} AND job = ${text(b.job)} AND build_number = ${b.number};`,
  );
  const incidents = plan.incidents.map(
    (i) =>
      `UPDATE incidents SET opened_at = ${iso(i.openedAt)}, acknowledged_at = ${iso(i.acknowledgedAt)}, ` +
      `acknowledged_by = ${i.acknowledgedAt === null ? "NULL" : "'alice@example.com'"}, ` +
      `state = ${i.resolvedAt !== null ? "'resolved'" : i.acknowledgedAt !== null ? "'acknowledged'" : "'open'"}, ` +
      `resolved_at = ${iso(i.resolvedAt)}, updated_at = ${iso(i.resolvedAt ?? i.acknowledgedAt ?? i.openedAt)} ` +
      `WHERE ${source} AND job = ${text(i.job)} AND first_build = ${i.firstBuild};`,
  );
  return [...alerts, ...incidents].join("\n");
}
