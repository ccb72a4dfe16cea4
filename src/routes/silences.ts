/**
 * /api/silences (admin): maintenance windows. Create one (matching incidents are flagged at once),
 * list them newest first (a `status` filter, cursor paging: ended ones pile up), show one, end one
 * now (DELETE: idempotent, the silence is kept, with `ended_at`).
 */

import { Hono } from "hono";
import * as v from "valibot";
import { requestActor } from "../audit/request-actor";
import { sweepSoon } from "../notify/sweep";
import { type AuthEnv, requireRole } from "../people/require-role";
import { now, nowMs } from "../platform/clock";
import { PagingEntries, page } from "../platform/http/paging";
import { methodNotAllowed, problem } from "../platform/http/problem";
import { validate } from "../platform/http/validate";
import { createSilence, endSilenceNow } from "../silences/actions";
import { SilenceStatusSchema, silenceView } from "../silences/rules";
import { NewSilenceSchema } from "../silences/schema";
import { getSilence, listSilences, MAX_SILENCES_IN_FORCE } from "../silences/store";

export const SilenceListQuerySchema = v.object({
  status: v.optional(SilenceStatusSchema),
  ...PagingEntries,
});

export const SilenceIdParamSchema = v.object({
  id: v.pipe(v.string(), v.regex(/^\d{1,15}$/, "expected a silence id"), v.transform(Number)),
});

const noSuchSilence = () =>
  problem(404, { slug: "not-found", title: "Not found", detail: "No such silence." });

export const silences = new Hono<AuthEnv>();

silences.use(requireRole("responder"));

silences.post("/", validate("json", NewSilenceSchema), async (c) => {
  const now = new Date(nowMs());
  const created = await createSilence(c.env, c.req.valid("json"), now, requestActor(c));
  sweepSoon(c.env, c.executionCtx);
  if (created === "no-such-source") {
    throw problem(400, {
      slug: "invalid-request",
      title: "Invalid request",
      detail: "The request body is not valid; see `errors`.",
      errors: [{ path: "match.source_id", message: "no such source" }],
    });
  }
  if (created === "too-many") {
    throw problem(409, {
      slug: "too-many-silences",
      title: "Conflict",
      detail: `${MAX_SILENCES_IN_FORCE} silences are active or upcoming already: end one (DELETE) first.`,
    });
  }
  return c.json(silenceView(created, now), 201);
});

silences.get("/", validate("query", SilenceListQuerySchema), async (c) => {
  const { status, limit, cursor } = c.req.valid("query");
  const now = new Date(nowMs());
  // One row more than asked tells whether there is a next page.
  const rows = await listSilences(c.env.DB, status, now, limit + 1, cursor);
  const { items, next_cursor } = page(rows, limit);
  return c.json({ silences: items.map((silence) => silenceView(silence, now)), next_cursor });
});

silences.all("/", methodNotAllowed("GET, POST"));

silences.get("/:id", validate("param", SilenceIdParamSchema), async (c) => {
  const found = await getSilence(c.env.DB, c.req.valid("param").id);
  if (!found) throw noSuchSilence();
  return c.json(silenceView(found, now()));
});

silences.delete("/:id", validate("param", SilenceIdParamSchema), async (c) => {
  const now = new Date(nowMs());
  const ended = await endSilenceNow(c.env, c.req.valid("param").id, now, requestActor(c));
  sweepSoon(c.env, c.executionCtx);
  if (!ended) throw noSuchSilence();
  return c.json(silenceView(ended, now));
});

silences.all("/:id", methodNotAllowed("GET, DELETE"));
