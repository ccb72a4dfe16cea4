/**
 * /api/sources (admin): create a source and show its token once, list sources (never tokens),
 * revoke one. Revocation is immediate in the isolate that handles it and reaches every other
 * location within about 90 s (KV propagation ≈ 60 s + the 30 s isolate cache).
 */
import { Hono } from "hono";
import * as v from "valibot";
import type { AppEnv } from "../env";
import { requireAdmin } from "../http/admin-auth";
import { methodNotAllowed, problem } from "../http/problem";
import { validate } from "../http/validate";
import { forgetSource } from "../sources/cache";
import type { SourceRecord } from "../sources/record";
import { listSources, saveSource, updateSource } from "../sources/store";
import { generateToken, hashToken } from "../sources/token";

export const MAX_SOURCE_NAME_LENGTH = 100;

const SourceName = v.pipe(
  v.string("expected a string"),
  v.trim(),
  v.minLength(1, "must not be empty"),
  v.maxLength(MAX_SOURCE_NAME_LENGTH, `at most ${MAX_SOURCE_NAME_LENGTH} characters`),
);
const QuietLifecycle = v.boolean("expected true or false");

const NewSourceSchema = v.object({ name: SourceName, quiet_lifecycle: v.optional(QuietLifecycle, false) });
const SourceChangeSchema = v.object({
  name: v.optional(SourceName),
  quiet_lifecycle: v.optional(QuietLifecycle),
});

export const sources = new Hono<AppEnv>();

sources.use(requireAdmin());

sources.post("/", validate("json", NewSourceSchema), async (c) => {
  const token = generateToken();
  const { name, quiet_lifecycle } = c.req.valid("json");
  const record: SourceRecord = {
    id: crypto.randomUUID(),
    name,
    provider: "jenkins",
    created_at: new Date().toISOString(),
    disabled: false,
    quiet_lifecycle,
  };
  await saveSource(c.env.SOURCES, await hashToken(token), record);
  const webhookUrl = new URL("/webhooks/jenkins", c.req.url);
  webhookUrl.searchParams.set("token", token);
  return c.json({ ...record, token, webhook_url: webhookUrl.href }, 201);
});

sources.get("/", async (c) => c.json({ sources: await listSources(c.env.SOURCES) }));

sources.all("/", methodNotAllowed("GET, POST"));

const noSuchSource = () => problem(404, { slug: "not-found", title: "Not found", detail: "No such source." });

/** Changes apply at once in this isolate and within the revocation bound (above) everywhere. */
sources.patch("/:id", validate("json", SourceChangeSchema), async (c) => {
  const change = c.req.valid("json");
  const updated = await updateSource(c.env.SOURCES, c.req.param("id"), (record) => ({
    ...record,
    ...(change.name !== undefined ? { name: change.name } : {}),
    ...(change.quiet_lifecycle !== undefined ? { quiet_lifecycle: change.quiet_lifecycle } : {}),
  }));
  if (!updated) throw noSuchSource();
  forgetSource(updated.hash);
  return c.json(updated.record);
});

sources.delete("/:id", async (c) => {
  const revokedAt = new Date().toISOString();
  const updated = await updateSource(c.env.SOURCES, c.req.param("id"), (record) => ({
    ...record,
    disabled: true,
    revoked_at: record.revoked_at ?? revokedAt,
  }));
  if (!updated) throw noSuchSource();
  forgetSource(updated.hash);
  return c.body(null, 204);
});

sources.all("/:id", methodNotAllowed("PATCH, DELETE"));
