/**
 * What `npm run dev` leaves for the other scripts: the dev source's token in .wrangler/dev-source.json
 * (scripts/dev.mjs writes it) and the admin token in .dev.vars; and what the simulator asks the admin API:
 * a job's last build number before sending, and where the build left its alerts after.
 */
import { existsSync, readFileSync } from "node:fs";

export const DEV_SOURCE_FILE = ".wrangler/dev-source.json";
export const DEV_PORT = "8787"; // wrangler dev's default

/** The dev source's webhook token, or undefined before the first `npm run dev`. */
export function devSourceToken(): string | undefined {
  if (!existsSync(DEV_SOURCE_FILE)) return undefined;
  return (JSON.parse(readFileSync(DEV_SOURCE_FILE, "utf8")) as { token?: string }).token;
}

/** ADMIN_TOKEN from .dev.vars (what `wrangler dev` gives the Worker), or undefined. */
export function devAdminToken(): string | undefined {
  if (!existsSync(".dev.vars")) return undefined;
  return /^ADMIN_TOKEN\s*=\s*"?([^"\n]+)"?\s*$/m.exec(readFileSync(".dev.vars", "utf8"))?.[1];
}

/**
 * The highest `last_build` of `job` over its sources (Jenkins numbers builds per job, whichever endpoint
 * hears of them), from GET /api/jobs, which has no job filter: the pages are read until the end.
 * Null when the job has no build yet. Throws on an answer other than 200, with its status.
 */
export async function lastBuild(origin: string, adminToken: string, job: string): Promise<number | null> {
  let last: number | null = null;
  let cursor: string | null = null;
  do {
    const url = new URL("/api/jobs", origin);
    url.searchParams.set("limit", "200");
    if (cursor) url.searchParams.set("cursor", cursor);
    const res = await fetch(url, { headers: { Authorization: `Bearer ${adminToken}` } });
    if (!res.ok) throw new Error(`GET /api/jobs answered ${res.status}`);
    const page = (await res.json()) as {
      jobs: { job: string; last_build: number | null }[];
      next_cursor: string | null;
    };
    for (const entry of page.jobs) {
      if (entry.job === job && entry.last_build !== null) last = Math.max(last ?? 0, entry.last_build);
    }
    cursor = page.next_cursor;
  } while (cursor);
  return last;
}

interface AlertSummary {
  id: number;
  source_id: string;
  build_number: number;
  state: string;
  priority: string;
  resolved_by_build: number | null;
}

/**
 * One line on what build `number` of `job` left behind, from GET /api/alerts: "#2 is green and resolves
 * #1: <its dashboard page>", or "#1 is open (HIGH): …". Undefined if the API does not show it.
 */
export async function buildOutcome(
  origin: string,
  adminToken: string,
  job: string,
  number: number,
): Promise<string | undefined> {
  const url = new URL("/api/alerts", origin);
  url.searchParams.set("job", job);
  url.searchParams.set("limit", "200");
  const res = await fetch(url, { headers: { Authorization: `Bearer ${adminToken}` } });
  if (!res.ok) return undefined;
  const { alerts } = (await res.json()) as { alerts: AlertSummary[] };
  const own = alerts.find((alert) => alert.build_number === number);
  if (!own) return undefined;
  const state =
    own.state === "resolved"
      ? own.resolved_by_build === number
        ? "is green"
        : `is resolved by #${own.resolved_by_build}`
      : `is ${own.state} (${own.priority})`;
  const resolved = alerts
    .filter(
      (a) => a.source_id === own.source_id && a.resolved_by_build === number && a.build_number !== number,
    )
    .map((a) => `#${a.build_number}`)
    .reverse();
  const resolves = resolved.length > 0 ? ` and resolves ${resolved.join(", ")}` : "";
  return `#${number} ${state}${resolves}: ${new URL(`/alerts/${own.id}`, origin).href}`;
}
