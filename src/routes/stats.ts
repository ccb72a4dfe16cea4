/**
 * GET /api/stats (admin): rejected deliveries nobody can be attributed to (no token, unknown or
 * revoked tokens). They are never written to D1, since anyone can send them, so this is what the
 * isolate answering this request has counted since it started; other isolates and locations keep
 * their own counts, and every rejection also has its log line in Workers Logs.
 */
import { Hono } from "hono";
import { unattributedCounts } from "../delivery/rejections";
import type { AppEnv } from "../env";
import { requireAdmin } from "../http/admin-auth";
import { methodNotAllowed } from "../http/problem";

export const stats = new Hono<AppEnv>();

stats.use(requireAdmin());

stats.get("/", (c) => {
  const counts = unattributedCounts();
  return c.json({
    unattributed_rejections: {
      scope: "isolate",
      note: "Counted by the isolate that answered this request since it started; see Workers Logs for all.",
      since: counts.since,
      total: counts.total,
      by_problem: counts.by_problem,
    },
  });
});

stats.all("/", methodNotAllowed("GET"));
