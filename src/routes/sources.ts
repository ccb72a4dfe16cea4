/**
 * /api/sources (admin): create a source and show its token once, list sources (never tokens) with
 * their delivery counters, rotate a source's token (the new one shown once), revoke one. Revocation
 * is immediate in the isolate that handles it and reaches every other location within about 90 s
 * (KV's edge cache ≈ 60 s + the 30 s isolate cache).
 */
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import * as v from "valibot";
import { NO_STATS, statsBySource } from "../db/source-stats";
import type { AppEnv } from "../env";
import { requireAdmin } from "../http/admin-auth";
import { methodNotAllowed, problem } from "../http/problem";
import { validate } from "../http/validate";
import { RotationSchema } from "../sources/grace";
import { changeSource, createSource, revokeSource, rotateSource } from "../sources/manage";
import { isSourceId, SourceNameSchema, type SourceRecord } from "../sources/record";
import { tokenViews } from "../sources/rotation";
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
const knownIdShape = createMiddleware<AppEnv>(async function knownIdShape(c, next) {
  if (!isSourceId(c.req.param("id") ?? "")) throw noSuchSource();
  await next();
});
sources.use("/:id", knownIdShape);
sources.use("/:id/rotate", knownIdShape);

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
  const tokens = tokenViews(found.tokens, found.record.disabled, Date.now());
  return c.json({ ...withStats(found.record, stats), tokens });
});

sources.delete("/:id", async (c) => {
  if (!(await revokeSource(c.env.SOURCES, c.req.param("id")))) throw noSuchSource();
  return c.body(null, 204);
});

sources.all("/:id", methodNotAllowed("GET, PATCH, DELETE"));

/**
 * A new token, shown once, and the old one kept for `grace` (default 24 h, at most 7 days; "0s" ends
 * it at once, as when it leaked). A revoked source cannot be rotated (409): its tokens stay refused.
 */
sources.post("/:id/rotate", validate("json", RotationSchema), async (c) => {
  const { grace } = c.req.valid("json");
  const rotated = await rotateSource(c.env.SOURCES, c.req.param("id"), grace, new URL(c.req.url).origin);
  if (rotated === "missing") throw noSuchSource();
  if (rotated === "revoked") {
    throw problem(409, {
      slug: "source-revoked",
      title: "Conflict",
      detail: "The source is revoked; create a new one instead.",
    });
  }
  return c.json({
    ...rotated.record,
    token: rotated.token,
    webhook_url: rotated.webhookUrl,
    basic_url: rotated.basicUrl,
    tokens: tokenViews(rotated.tokens, false, Date.now()),
  });
});

sources.all("/:id/rotate", methodNotAllowed("POST"));
