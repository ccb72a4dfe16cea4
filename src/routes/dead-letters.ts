/**
 * /api/dead-letters (admin): messages the queues gave up on, newest first with a `queue` filter and
 * cursor paging; one by id; replay one (its message back on its queue, then the row deleted: 202);
 * discard one (204). Replaying is idempotent by the ingest rules, so a message replayed twice is
 * stored once.
 */
import { Hono } from "hono";
import * as v from "valibot";
import { requestActor } from "../audit/request-actor";
import { replayDeadLetter } from "../dead-letters/replay";
import { discardDeadLetter, getDeadLetter, listDeadLetters } from "../dead-letters/store";
import { type AuthEnv, requireRole } from "../people/require-role";
import { PagingEntries, page } from "../platform/http/paging";
import { methodNotAllowed, problem } from "../platform/http/problem";
import { validate } from "../platform/http/validate";
import { REPLAYABLE_QUEUE_NAMES } from "../platform/queue-names";

export const DeadLetterListQuerySchema = v.object({
  queue: v.optional(v.picklist(REPLAYABLE_QUEUE_NAMES, `expected ${REPLAYABLE_QUEUE_NAMES.join(" or ")}`)),
  ...PagingEntries,
});

export const DeadLetterIdParamSchema = v.object({
  id: v.pipe(v.string(), v.regex(/^\d{1,15}$/, "expected a dead letter id"), v.transform(Number)),
});

const notFound = () =>
  problem(404, { slug: "not-found", title: "Not found", detail: "No such dead letter." });

export const deadLetters = new Hono<AuthEnv>();

deadLetters.use(requireRole("admin"));

deadLetters.get("/", validate("query", DeadLetterListQuerySchema), async (c) => {
  const { limit, cursor, ...filters } = c.req.valid("query");
  const rows = await listDeadLetters(c.env.DB, filters, limit + 1, cursor);
  const { items, next_cursor } = page(rows, limit);
  return c.json({ dead_letters: items, next_cursor });
});

deadLetters.all("/", methodNotAllowed("GET"));

deadLetters.get("/:id", validate("param", DeadLetterIdParamSchema), async (c) => {
  const found = await getDeadLetter(c.env.DB, c.req.valid("param").id);
  if (!found) throw notFound();
  return c.json(found);
});

deadLetters.delete("/:id", validate("param", DeadLetterIdParamSchema), async (c) => {
  if (!(await discardDeadLetter(c.env.DB, c.req.valid("param").id, requestActor(c)))) throw notFound();
  return c.body(null, 204);
});

deadLetters.all("/:id", methodNotAllowed("GET, DELETE"));

deadLetters.post("/:id/replay", validate("param", DeadLetterIdParamSchema), async (c) => {
  const { id } = c.req.valid("param");
  let outcome: Awaited<ReturnType<typeof replayDeadLetter>>;
  try {
    outcome = await replayDeadLetter(c.env, id, requestActor(c));
  } catch {
    throw problem(503, {
      slug: "queue-unavailable",
      title: "Service unavailable",
      detail: "The queue did not take the message; the dead letter is kept. Retry shortly.",
      headers: { "Retry-After": "5" },
    });
  }
  if (!outcome.replayed && outcome.why === "not-found") throw notFound();
  if (!outcome.replayed) {
    throw problem(409, {
      slug: "not-replayable",
      title: "Not replayable",
      detail: "This Worker has no producer for the queue this message died on.",
    });
  }
  return c.json({ id, queue: outcome.queue, replayed: true }, 202);
});

deadLetters.all("/:id/replay", methodNotAllowed("POST"));
