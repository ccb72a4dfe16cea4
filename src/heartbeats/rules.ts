/**
 * Heartbeats (docs/incidents.md "Heartbeats"): how often a job is expected to start a build, and what a job's
 * stored heartbeat columns mean. The rule itself runs in SQL (./sql.ts: learning at
 * ingest, the due time; ./cron.ts: the cron trigger), with the numbers below.
 */

/** The build starts the usual interval is learned from: the job's most recent builds. */
export const LEARN_FROM_BUILDS = 20;

/** Fewer intervals than this teach nothing (five starts): a job's first builds are often retries. */
export const MIN_INTERVALS = 4;

/** The least grace a heartbeat gets by default: the cron trigger only looks every 5 minutes. */
export const MIN_DEFAULT_GRACE_MS = 30 * 60_000;

/** The default grace: half the interval, at least 30 minutes. */
export const defaultGraceMs = (everyMs: number): number =>
  Math.max(Math.floor(everyMs / 2), MIN_DEFAULT_GRACE_MS);

/**
 * `learned`: from the job's own build starts; `manual`: set by hand (PUT …/heartbeat); `off`; or
 * `learning`: too few starts yet.
 */
export const HEARTBEAT_MODES = ["learned", "manual", "off", "learning"] as const;
export type HeartbeatMode = (typeof HEARTBEAT_MODES)[number];

/** A job's heartbeat as the API shows it; durations in milliseconds. */
export interface Heartbeat {
  mode: HeartbeatMode;
  /** How often a build is expected to start; null when off or learning. */
  every: number | null;
  grace: number | null;
  /** When the next build is late: its last start + every + grace; null once a missed build opened, until the next build. */
  due_at: string | null;
}

/** The jobs table's heartbeat columns (migrations/0005). */
export interface HeartbeatColumns {
  learned_every_ms: number | null;
  heartbeat_every_ms: number | null;
  heartbeat_grace_ms: number | null;
  heartbeat_off: number;
  heartbeat_due_at: string | null;
}

export function heartbeatOf(row: HeartbeatColumns): Heartbeat {
  const due_at = row.heartbeat_due_at;
  if (row.heartbeat_off === 1) return { mode: "off", every: null, grace: null, due_at: null };
  const manual = row.heartbeat_every_ms !== null;
  const every = row.heartbeat_every_ms ?? row.learned_every_ms;
  if (every === null) return { mode: "learning", every: null, grace: null, due_at };
  const grace = row.heartbeat_grace_ms ?? defaultGraceMs(every);
  return { mode: manual ? "manual" : "learned", every, grace, due_at };
}

/** What a PUT or DELETE of a job's heartbeat stores: a hand-set interval (grace null: the default), off, or learning. */
export type HeartbeatSetting =
  | { mode: "manual"; everyMs: number; graceMs: number | null }
  | { mode: "off" }
  | { mode: "learning" };
