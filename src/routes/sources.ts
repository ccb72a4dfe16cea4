/**
 * /api/sources (admin): create a source and show its token once, list sources (never tokens) with
 * their delivery counters and noise policy, change one (its record in KV, its policy in D1), rotate
 * a source's token (the new one shown once), revoke one. Revocation is immediate in the isolate that
 * handles it and reaches every other location within about 90 s (KV's edge cache ≈ 60 s + the 30 s
 * isolate cache); a policy change within 30 s (src/sources/policy-cache.ts).
 */
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import * as v from "valibot";
import { requestActor } from "../audit/request-actor";
import { type AuthEnv, requireRole } from "../people/require-role";
import { nowMs } from "../platform/clock";
import type { AppEnv } from "../platform/env";
import { methodNotAllowed, problem } from "../platform/http/problem";
import { validate } from "../platform/http/validate";
import { changeSource, createSource, revokeSource, rotateSource } from "../sources/actions";
import { RotationSchema } from "../sources/grace";
import { isSourceId, SourceNameSchema, type SourceRecord } from "../sources/model";
import { DEFAULT_POLICY, type Policy, PolicySchema } from "../sources/policy";
import { changePolicy } from "../sources/policy-cache";
import { readPolicies, readPolicy } from "../sources/policy-store";
import { tokenViews } from "../sources/rotation";
import { NO_STATS, statsBySource } from "../sources/stats";
import { getSource, listSources } from "../sources/store";

const QuietLifecycle = v.boolean("expected true or false");

export const NewSourceSchema = v.strictObject({
  name: SourceNameSchema,
  quiet_lifecycle: v.optional(QuietLifecycle, false),
});
export const SourceChangeSchema = v.strictObject({
  name: v.optional(SourceNameSchema),
  quiet_lifecycle: v.optional(QuietLifecycle),
  /** Replaces the whole stored policy; keys left out take their defaults. */
  policy: v.optional(PolicySchema),
});

export const sources = new Hono<AuthEnv>();

sources.use(requireRole("admin"));

sources.post("/", validate("json", NewSourceSchema), async (c) => {
  const created = await createSource(c.env.SOURCES, c.req.valid("json"), new URL(c.req.url).origin, {
    db: c.env.DB,
    actor: requestActor(c),
  });
  return c.json({ ...created.record, token: created.token, webhook_url: created.webhookUrl }, 201);
});

sources.get("/", async (c) => {
  const [records, stats, policies] = await Promise.all([
    listSources(c.env.SOURCES),
    statsBySource(c.env.DB),
    readPolicies(c.env.DB),
  ]);
  return c.json({
    sources: records.map((record) => listed(record, stats, policies.get(record.id) ?? DEFAULT_POLICY)),
  });
});

const listed = (record: SourceRecord, stats: Map<string, typeof NO_STATS>, policy: Policy) => ({
  ...record,
  stats: stats.get(record.id) ?? NO_STATS,
  policy,
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

/**
 * Changes apply at once in this isolate; everywhere within the revocation bound (above) for the
 * record, within 30 s for the policy. The record is written (KV) only when one of its fields is
 * sent, the policy (D1) only when `policy` is.
 */
sources.patch("/:id", validate("json", SourceChangeSchema), async (c) => {
  const id = c.req.param("id");
  const by = { db: c.env.DB, actor: requestActor(c) };
  const { policy, ...change } = c.req.valid("json");
  const changesRecord = change.name !== undefined || change.quiet_lifecycle !== undefined;
  const record = changesRecord
    ? await changeSource(
        c.env.SOURCES,
        id,
        (current) => ({
          ...current,
          ...(change.name !== undefined ? { name: change.name } : {}),
          ...(change.quiet_lifecycle !== undefined ? { quiet_lifecycle: change.quiet_lifecycle } : {}),
        }),
        by,
      )
    : ((await getSource(c.env.SOURCES, id))?.record ?? null);
  if (!record) throw noSuchSource();
  if (policy) await changePolicy(c.env, id, policy, by.actor);
  return c.json({ ...record, policy: policy ?? (await readPolicy(c.env.DB, id)) });
});

sources.get("/:id", async (c) => {
  const id = c.req.param("id");
  const [found, stats, policy] = await Promise.all([
    getSource(c.env.SOURCES, id),
    statsBySource(c.env.DB),
    readPolicy(c.env.DB, id),
  ]);
  if (!found) throw noSuchSource();
  const tokens = tokenViews(found.tokens, found.record.disabled, nowMs());
  return c.json({ ...listed(found.record, stats, policy), tokens });
});

sources.delete("/:id", async (c) => {
  if (!(await revokeSource(c.env.SOURCES, c.req.param("id"), { db: c.env.DB, actor: requestActor(c) })))
    throw noSuchSource();
  return c.body(null, 204);
});

sources.all("/:id", methodNotAllowed("GET, PATCH, DELETE"));

/**
 * A new token, shown once, and the old one kept for `grace` (default 24 h, at most 7 days; "0s" ends
 * it at once, as when it leaked). A revoked source cannot be rotated (409): its tokens stay refused.
 */
sources.post("/:id/rotate", validate("json", RotationSchema), async (c) => {
  const { grace } = c.req.valid("json");
  const rotated = await rotateSource(c.env.SOURCES, c.req.param("id"), grace, new URL(c.req.url).origin, {
    db: c.env.DB,
    actor: requestActor(c),
  });
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
    tokens: tokenViews(rotated.tokens, false, nowMs()),
  });
});

sources.all("/:id/rotate", methodNotAllowed("POST"));
