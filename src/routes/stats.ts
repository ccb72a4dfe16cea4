/**
 * GET /api/stats (admin):
 * - `unattributed_rejections`: rejected deliveries nobody can be attributed to (no token, unknown or
 *   revoked tokens). They are never written to D1, since anyone can send them, so this is what the
 *   isolate answering this request has counted since it started; other isolates and locations keep
 *   their own counts, and every rejection also has its log line in Workers Logs.
 * - `storage`: the database's size, rows per table and oldest event (../operations/storage.ts), and the
 *   retention that bounds them (docs/operations.md "Retention"); null when D1 does not answer.
 */
import { Hono } from "hono";
import { deadLettersKept } from "../dead-letters/store";
import { unattributedCounts } from "../ingest/rejections";
import { alertRetentionDays, retentionDays } from "../operations/retention";
import { storage } from "../operations/storage";
import { type AuthEnv, requireRole } from "../people/require-role";
import { methodNotAllowed } from "../platform/http/problem";

export const stats = new Hono<AuthEnv>();

stats.use(requireRole("admin"));

stats.get("/", async (c) => {
  const counts = unattributedCounts();
  // The rejection counts matter most when D1 is down: they are answered without the storage part then.
  const stored = await storage(c.env.DB).catch((err: unknown) => {
    console.error(JSON.stringify({ event: "storage_stats_failed", error: String(err) }));
    return null;
  });
  return c.json({
    unattributed_rejections: {
      scope: "isolate",
      note: "Counted by the isolate that answered this request since it started; see Workers Logs for all.",
      since: counts.since,
      total: counts.total,
      by_problem: counts.by_problem,
    },
    storage: stored && {
      ...stored,
      retention_days: { events: retentionDays(c.env), alerts: alertRetentionDays(c.env) },
      dead_letters_kept: deadLettersKept(c.env),
    },
  });
});

stats.all("/", methodNotAllowed("GET"));
