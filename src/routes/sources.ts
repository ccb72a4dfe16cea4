/**
 * /api/sources (admin): create a source and show its token once, list sources (never tokens) with
 * their delivery counters, revoke one. Revocation is immediate in the isolate that handles it and
 * reaches every other location within about 90 s (KV's edge cache ≈ 60 s + the 30 s isolate cache).
 */
import { Hono } from "hono";
import * as v from "valibot";
import { NO_STATS, statsBySource } from "../db/source-stats";
import type { AppEnv } from "../env";
import { requireAdmin } from "../http/admin-auth";
import { methodNotAllowed, problem } from "../http/problem";
import { validate } from "../http/validate";
import { changeSource, createSource, revokeSource } from "../sources/manage";
import { isSourceId, SourceNameSchema, type SourceRecord } from "../sources/record";
import { getSource, listSources } from "../sources/store";

const QuietLifecycle = v.boolean("expected true or false");

export const NewSourceSchema = v.object({
  name: SourceNameSchema,
  quiet_lifecycle: v.optional(QuietLifecycle, false),
});
export const SourceChangeSchema = v.object({
  name: v.optional(SourceNameSchema),
  quiet_lifecycle: v.optional(QuietLifecycle),
});

export const sources = new Hono<AppEnv>();

sources.use(requireAdmin());

sources.post("/", validate("json", NewSourceSchema), async (c) => {
  const created = await createSource(c.env.SOURCES, c.req.valid("json"), new URL(c.req.url).origin);
  return c.json({ ...created.record, token: created.token, webhook_url: created.webhookUrl }, 201);
});

sources.get("/", async (c) => {
  const [records, stats] = await Promise.all([listSources(c.env.SOURCES), statsBySource(c.env.DB)]);
  return c.json({ sources: records.map((record) => withStats(record, stats)) });
});

const withStats = (record: SourceRecord, stats: Map<string, typeof NO_STATS>) => ({
  ...record,
  stats: stats.get(record.id) ?? NO_STATS,
});

sources.all("/", methodNotAllowed("GET, POST"));

const noSuchSource = () => problem(404, { slug: "not-found", title: "Not found", detail: "No such source." });

// Every /:id route: an id that is not a source id is 404 before any KV access (a long one would
// overflow a KV key).
sources.use("/:id", async (c, next) => {
  if (!isSourceId(c.req.param("id"))) throw noSuchSource();
  await next();
});

/** Changes apply at once in this isolate and within the revocation bound (above) everywhere. */
sources.patch("/:id", validate("json", SourceChangeSchema), async (c) => {
  const change = c.req.valid("json");
  const record = await changeSource(c.env.SOURCES, c.req.param("id"), (current) => ({
    ...current,
    ...(change.name !== undefined ? { name: change.name } : {}),
    ...(change.quiet_lifecycle !== undefined ? { quiet_lifecycle: change.quiet_lifecycle } : {}),
  }));
  if (!record) throw noSuchSource();
  return c.json(record);
});

sources.get("/:id", async (c) => {
  const [found, stats] = await Promise.all([
    getSource(c.env.SOURCES, c.req.param("id")),
    statsBySource(c.env.DB),
  ]);
  if (!found) throw noSuchSource();
  return c.json(withStats(found.record, stats));
});

sources.delete("/:id", async (c) => {
  if (!(await revokeSource(c.env.SOURCES, c.req.param("id")))) throw noSuchSource();
  return c.body(null, 204);
});

sources.all("/:id", methodNotAllowed("GET, PATCH, DELETE"));
