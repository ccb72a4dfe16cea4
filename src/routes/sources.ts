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
import { listSources, revokeSource, saveSource } from "../sources/store";
import { generateToken, hashToken } from "../sources/token";

export const MAX_SOURCE_NAME_LENGTH = 100;

const NewSourceSchema = v.object({
  name: v.pipe(
    v.string("expected a string"),
    v.trim(),
    v.minLength(1, "must not be empty"),
    v.maxLength(MAX_SOURCE_NAME_LENGTH, `at most ${MAX_SOURCE_NAME_LENGTH} characters`),
  ),
});

export const sources = new Hono<AppEnv>();

sources.use(requireAdmin());

sources.post("/", validate("json", NewSourceSchema), async (c) => {
  const token = generateToken();
  const record: SourceRecord = {
    id: crypto.randomUUID(),
    name: c.req.valid("json").name,
    provider: "jenkins",
    created_at: new Date().toISOString(),
    disabled: false,
  };
  await saveSource(c.env.SOURCES, await hashToken(token), record);
  const webhookUrl = new URL("/webhooks/jenkins", c.req.url);
  webhookUrl.searchParams.set("token", token);
  return c.json(
    { id: record.id, name: record.name, provider: record.provider, token, webhook_url: webhookUrl.href },
    201,
  );
});

sources.get("/", async (c) => c.json({ sources: await listSources(c.env.SOURCES) }));

sources.all("/", methodNotAllowed("GET, POST"));

sources.delete("/:id", async (c) => {
  const hash = await revokeSource(c.env.SOURCES, c.req.param("id"), new Date());
  if (!hash) throw problem(404, { slug: "not-found", title: "Not found", detail: "No such source." });
  forgetSource(hash);
  return c.body(null, 204);
});

sources.all("/:id", methodNotAllowed("DELETE"));
