/**
 * The soak: many builds' four phases, shuffled within each build, interleaved across builds, with
 * a share of exact duplicates, sent at a fixed concurrency; then every build is checked through the
 * API. Pure (fetch-shaped functions in, counts out), so the Vitest soak and `npm run soak` share it.
 */
import { PRIORITY_BY_STATUS } from "../src/domain/vocabulary.ts";
import { JSON_TYPE, notification } from "./payloads.ts";

const STATUSES = ["SUCCESS", "FAILURE", "UNSTABLE", "ABORTED", "NOT_BUILT"] as const;
const JOBS = [
  "payments-api",
  "acme/web-shop/main",
  "acme/web-shop/feature%2Flogin",
  "infra/déploiement",
  "mobile/ios",
];

export interface SoakDelivery {
  source: number;
  body: string;
}

export interface ExpectedAlert {
  source: number;
  job: string;
  build: number;
  status: string;
  kind: string;
  priority: string;
}

export interface SoakPlan {
  deliveries: SoakDelivery[];
  expected: ExpectedAlert[];
}

/** A small deterministic PRNG (mulberry32), so a failing soak can be replayed. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function soakPlan(options: {
  builds: number;
  sources: number;
  duplicates?: number;
  seed?: number;
}): SoakPlan {
  const rand = random(options.seed ?? 1);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const expected: ExpectedAlert[] = [];
  const perBuild: SoakDelivery[][] = [];
  for (let i = 0; i < options.builds; i++) {
    const source = i % options.sources;
    const job = JOBS[i % JOBS.length] as string;
    const build = Math.floor(i / JOBS.length) + 1;
    const status = pick(STATUSES);
    const start = 1_764_000_000_000 + i * 60_000;
    const phases = [
      { phase: "QUEUED", timestamp: start - 5_000 },
      { phase: "STARTED", timestamp: start },
      { phase: "COMPLETED", status, timestamp: start + 42_000 },
      { phase: "FINALIZED", status, timestamp: start + 42_100 },
    ];
    const bodies = phases.map((p) => ({
      source,
      body: JSON.stringify(notification({ job, number: build, ...p })),
    }));
    perBuild.push(shuffle(bodies, rand));
    expected.push({
      source,
      job,
      build,
      status,
      kind: status === "SUCCESS" ? "RESOLVE" : "ALERT",
      priority: PRIORITY_BY_STATUS[status],
    });
  }
  // Interleave builds: repeatedly take the next phase of a random unfinished build.
  const deliveries: SoakDelivery[] = [];
  const open = perBuild.filter((b) => b.length > 0);
  while (open.length > 0) {
    const index = Math.floor(rand() * open.length);
    const build = open[index] as SoakDelivery[];
    deliveries.push(build.shift() as SoakDelivery);
    if (build.length === 0) open.splice(index, 1);
  }
  // Exact duplicates (plugin retries after a timeout), each inserted somewhere after its original.
  const copies = Math.round(deliveries.length * (options.duplicates ?? 0.05));
  for (let i = 0; i < copies; i++) {
    const from = Math.floor(rand() * deliveries.length);
    const to = from + 1 + Math.floor(rand() * (deliveries.length - from));
    deliveries.splice(to, 0, deliveries[from] as SoakDelivery);
  }
  return { deliveries, expected };
}

function shuffle<T>(items: T[], rand: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

export interface SoakCounts {
  sent: number;
  /** Answered 2xx: stored at once (200) or deferred to the queue (202). */
  accepted: number;
  deferred: number;
  /** Of the deliveries stored at once, those answered as duplicates. */
  duplicates: number;
  server_errors: number;
  other_errors: number;
}

/** Sends every delivery, `concurrency` at a time, and counts the answers. */
export async function sendAll(
  deliveries: SoakDelivery[],
  post: (source: number, body: string, contentType: string) => Promise<Response>,
  concurrency: number,
): Promise<SoakCounts> {
  const counts: SoakCounts = {
    sent: 0,
    accepted: 0,
    deferred: 0,
    duplicates: 0,
    server_errors: 0,
    other_errors: 0,
  };
  let next = 0;
  const lane = async () => {
    while (next < deliveries.length) {
      const delivery = deliveries[next++] as SoakDelivery;
      const res = await post(delivery.source, delivery.body, JSON_TYPE);
      counts.sent += 1;
      if (res.status >= 500) counts.server_errors += 1;
      else if (res.status >= 300) counts.other_errors += 1;
      else {
        counts.accepted += 1;
        if (res.status === 202) counts.deferred += 1;
        if (((await res.json()) as { duplicate?: boolean }).duplicate) counts.duplicates += 1;
        continue;
      }
      await res.body?.cancel();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  return counts;
}

export interface SoakCheck {
  builds: number;
  lost: number;
  duplicated: number;
  wrong_state: number;
  wrong_event_count: number;
}

interface ListedAlert {
  source_id: string;
  job: string;
  build_number: number;
  phase: string;
  status: string | null;
  kind: string;
  priority: string;
  event_count: number;
}

/** Reads every alert back through the API and compares it with the plan. */
export async function checkAlerts(
  expected: ExpectedAlert[],
  sourceIds: string[],
  get: (path: string) => Promise<Response>,
): Promise<SoakCheck> {
  const found = new Map<string, ListedAlert[]>();
  for (const sourceId of sourceIds) {
    let cursor: string | null = null;
    do {
      const query: string = `source_id=${sourceId}&limit=200${cursor ? `&cursor=${cursor}` : ""}`;
      const res = await get(`/api/alerts?${query}`);
      if (res.status !== 200) throw new Error(`GET /api/alerts answered ${res.status}`);
      const page = (await res.json()) as { alerts: ListedAlert[]; next_cursor: string | null };
      for (const alert of page.alerts) {
        const key = `${alert.source_id}|${alert.job}|${alert.build_number}`;
        found.set(key, [...(found.get(key) ?? []), alert]);
      }
      cursor = page.next_cursor;
    } while (cursor);
  }
  const check: SoakCheck = {
    builds: expected.length,
    lost: 0,
    duplicated: 0,
    wrong_state: 0,
    wrong_event_count: 0,
  };
  for (const want of expected) {
    const alerts = found.get(`${sourceIds[want.source]}|${want.job}|${want.build}`) ?? [];
    found.delete(`${sourceIds[want.source]}|${want.job}|${want.build}`);
    if (alerts.length === 0) check.lost += 1;
    if (alerts.length > 1) check.duplicated += 1;
    const alert = alerts[0];
    if (!alert) continue;
    const state = alert.phase === "FINALIZED" && alert.status === want.status;
    if (!state || alert.kind !== want.kind || alert.priority !== want.priority) check.wrong_state += 1;
    if (alert.event_count !== 4) check.wrong_event_count += 1;
  }
  check.duplicated += found.size; // alerts nobody asked for
  return check;
}

/**
 * Checks until every build is stored as planned (the queue consumer writes deferred deliveries a
 * batch at a time) or `timeoutMs` passes; the last check either way.
 */
export async function settledCheck(
  check: () => Promise<SoakCheck>,
  timeoutMs: number,
  sleep: (ms: number) => Promise<unknown> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
): Promise<SoakCheck> {
  const deadline = Date.now() + timeoutMs;
  let last = await check();
  while (Date.now() < deadline && (last.lost > 0 || last.wrong_event_count > 0 || last.wrong_state > 0)) {
    await sleep(250);
    last = await check();
  }
  return last;
}
