/**
 * GET /readyz: can this Worker do its job? D1 answers and has the newest migration this code needs,
 * KV answers, ADMIN_TOKEN is usable, and DESTINATIONS_KEY decrypts every enabled destination (else
 * their notifications wait). 200 `{status: "ready"}`, or 503 listing each binding that is not (by
 * name, never with a value; destinations by id only, since anyone may ask). Two D1 queries and one KV
 * read, in parallel, at most once per VERDICT_MS per isolate (asking often costs nothing); /healthz
 * stays binding-free.
 */
import { Hono } from "hono";
import { DESTINATIONS_KEY_UNUSABLE, parseDestinationsKey } from "../notify/destinations/keyring";
import { unreadableDestinations } from "../notify/destinations/readable";
import { nowMs } from "../platform/clock";
import type { AppEnv } from "../platform/env";
import { ADMIN_TOKEN_UNUSABLE, isUsableAdminToken } from "../platform/http/admin-token";
import { problem } from "../platform/http/problem";
import type { FieldProblem } from "../platform/issues";

/**
 * The newest file in migrations/ (test/routes/readiness.test.ts fails when a newer one is added without
 * moving this). Wrangler and the tests both record applied migrations by file name in d1_migrations.
 */
export const REQUIRED_MIGRATION = "0017_rollups.sql";

/** A key nothing writes, so the read is one cheap miss. */
const KV_PROBE = "readiness-probe";
/** How long an isolate reuses its last verdict. */
const VERDICT_MS = 10_000;
/** Keyed by the bindings object, which is the isolate's own for every request it serves. */
const verdicts = new WeakMap<Env, { errors: FieldProblem[]; until: number }>();

async function checkDatabase(db: D1Database): Promise<string | undefined> {
  try {
    const row = await db
      .prepare("SELECT 1 AS applied FROM d1_migrations WHERE name = ?1")
      .bind(REQUIRED_MIGRATION)
      .first();
    return row ? undefined : `migration ${REQUIRED_MIGRATION} is not applied`;
  } catch {
    return "not reachable, or no migrations applied";
  }
}

async function checkKv(kv: KVNamespace): Promise<string | undefined> {
  try {
    await kv.get(KV_PROBE);
    return undefined;
  } catch {
    return "not reachable";
  }
}

/** The enabled destinations DESTINATIONS_KEY cannot read, by id (a name or URL is not for anyone to see). */
async function checkDestinationsKey(env: Env): Promise<string | undefined> {
  let ids: number[];
  try {
    ids = (await unreadableDestinations(env.DB, env)).map((destination) => destination.id);
  } catch {
    return undefined; // D1 itself: reported as DB
  }
  if (ids.length === 0) return undefined;
  const which = `destination${ids.length === 1 ? "" : "s"} ${ids.join(", ")}`;
  if (!parseDestinationsKey(env.DESTINATIONS_KEY)) return `${DESTINATIONS_KEY_UNUSABLE}; ${which} need it`;
  return `${which} cannot be decrypted with it (a key removed, or the wrong bytes under its id): their notifications wait until it can (GET /api/destinations says why)`;
}

export const ready = new Hono<AppEnv>();

async function check(env: Env): Promise<FieldProblem[]> {
  const [db, kv, destinationsKey] = await Promise.all([
    checkDatabase(env.DB),
    checkKv(env.SOURCES),
    checkDestinationsKey(env),
  ]);
  const token = isUsableAdminToken(env.ADMIN_TOKEN) ? undefined : ADMIN_TOKEN_UNUSABLE;
  // One without the other is a half-done set-up: Access stays off, and people would be refused.
  const access =
    Boolean(env.ACCESS_TEAM_DOMAIN) === Boolean(env.ACCESS_AUD)
      ? undefined
      : "ACCESS_TEAM_DOMAIN and ACCESS_AUD are set together or not at all (docs/people.md)";
  const errors: FieldProblem[] = [];
  for (const [path, message] of [
    ["DB", db],
    ["SOURCES", kv],
    ["ADMIN_TOKEN", token],
    ["DESTINATIONS_KEY", destinationsKey],
    ["ACCESS_AUD", access],
  ] as const) {
    if (message) errors.push({ path, message });
  }
  return errors;
}

ready.get("/", async (c) => {
  const now = nowMs();
  let verdict = verdicts.get(c.env);
  if (!verdict || verdict.until <= now) {
    verdict = { errors: await check(c.env), until: now + VERDICT_MS };
    verdicts.set(c.env, verdict);
  }
  const { errors } = verdict;
  if (errors.length > 0) {
    throw problem(503, {
      slug: "not-ready",
      title: "Not ready",
      detail: "Some bindings are not ready; see `errors`.",
      errors,
      headers: { "Retry-After": "30" },
    });
  }
  return c.json({ status: "ready" });
});
