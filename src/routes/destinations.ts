/**
 * /api/destinations (admin): where notifications go. Create one (a webhook's signing secret is shown in
 * that answer only), list, show, change, delete; send a test message; re-encrypt every stored URL and
 * secret under the current DESTINATIONS_KEY after a key rotation. No answer ever holds a URL beyond its
 * scheme and host; each destination shown says whether DESTINATIONS_KEY still decrypts it. 503 without a
 * usable DESTINATIONS_KEY (after the admin check).
 */
import { Hono } from "hono";
import { requestActor } from "../audit/request-actor";
import { changeDestination, createDestination } from "../notify/destinations/actions";
import { checkedUrl, checkNewDestination, TOO_MANY_DESTINATIONS } from "../notify/destinations/intake";
import type { Keyring } from "../notify/destinations/keyring";
import { unreadableReason } from "../notify/destinations/readable";
import { reencryptAll } from "../notify/destinations/reencrypt";
import {
  DestinationChangeSchema,
  DestinationIdParamSchema,
  DestinationListQuerySchema,
  escalationProblem,
  NewDestinationSchema,
} from "../notify/destinations/schema";
import {
  getSealedDestination,
  listSealedDestinations,
  type SealedDestination,
} from "../notify/destinations/store";
import { sendTestMessage } from "../notify/destinations/test-send";
import { allowsPrivateDestinations } from "../notify/destinations/url";
import { toApiDestination } from "../notify/destinations/view";
import { deleteDestination } from "../notify/destinations/writes";
import { type AuthEnv, requireRole } from "../people/require-role";
import { nowIso } from "../platform/clock";
import { page } from "../platform/http/paging";
import { methodNotAllowed, problem } from "../platform/http/problem";
import { invalidRequest, validate } from "../platform/http/validate";
import { queriesPerInvocation } from "../platform/vars";
import { requireDestinationsKey } from "./destinations-key";

export const destinations = new Hono<AuthEnv & { Variables: { keyring: Keyring } }>();

destinations.use(requireRole("admin"));
destinations.use(requireDestinationsKey());

/** A changed URL as {@link checkedUrl} passes it; else 400 naming `url`. */
function checkedUrlOr400(text: string, env: Env): string {
  const checked = checkedUrl(text, allowsPrivateDestinations(env));
  if ("invalid" in checked) throw invalidRequest("json", [checked.invalid]);
  return checked.url;
}

const notFound = () =>
  problem(404, { slug: "not-found", title: "Not found", detail: "No such destination." });

const unreadable = (detail: string) =>
  problem(409, {
    slug: "destination-unreadable",
    title: "Conflict",
    detail: `The destination's stored secrets cannot be read (${detail}): put that key back into DESTINATIONS_KEY, or delete the destination and create it again.`,
  });

destinations.post("/", validate("json", NewDestinationSchema), async (c) => {
  const checked = checkNewDestination(c.req.valid("json"), allowsPrivateDestinations(c.env));
  if ("invalid" in checked) throw invalidRequest("json", [checked.invalid]);
  const created = await createDestination(c.env.DB, c.var.keyring, checked.ok, nowIso(), requestActor(c));
  if (created === "too-many") {
    throw problem(409, { slug: "too-many-destinations", title: "Conflict", detail: TOO_MANY_DESTINATIONS });
  }
  const secret = created.secret === null ? {} : { secret: created.secret };
  return c.json({ ...toApiDestination(created.destination, null), ...secret }, 201);
});

/** Each row is decrypted (in memory, then dropped) to say whether DESTINATIONS_KEY still reads it. */
const shown = async (keyring: Keyring, row: SealedDestination) =>
  toApiDestination(row, await unreadableReason(keyring, row));

destinations.get("/", validate("query", DestinationListQuerySchema), async (c) => {
  const { limit, cursor } = c.req.valid("query");
  // One row more than asked tells whether there is a next page.
  const rows = await listSealedDestinations(c.env.DB, { after: cursor, limit: limit + 1 });
  const { items, next_cursor } = page(rows, limit);
  return c.json({
    destinations: await Promise.all(items.map((row) => shown(c.var.keyring, row))),
    next_cursor,
  });
});

destinations.all("/", methodNotAllowed("GET, POST"));

/** After a key rotation: every row under the current key (docs/notifications.md "DESTINATIONS_KEY and key rotation"). */
destinations.post("/reencrypt", async (c) => {
  // Two queries of the invocation's budget go to reading; each rewritten row is two more (with its audit entry).
  const budget = Math.max(2, queriesPerInvocation(c.env) - 2);
  return c.json(await reencryptAll(c.env.DB, c.var.keyring, budget, requestActor(c)));
});

destinations.all("/reencrypt", methodNotAllowed("POST"));

destinations.get("/:id", validate("param", DestinationIdParamSchema), async (c) => {
  const found = await getSealedDestination(c.env.DB, c.req.valid("param").id);
  if (!found) throw notFound();
  return c.json(await shown(c.var.keyring, found));
});

/** Any change seals the URL and secret again under the current key. */
destinations.patch(
  "/:id",
  validate("param", DestinationIdParamSchema),
  validate("json", DestinationChangeSchema),
  async (c) => {
    const { escalate_after, url, bot_token, channel, ...change } = c.req.valid("json");
    const outcome = await changeDestination(
      c.env.DB,
      c.var.keyring,
      c.req.valid("param").id,
      {
        ...change,
        url: url === undefined ? undefined : checkedUrlOr400(url, c.env),
        botToken: bot_token,
        channel,
        escalate_after_ms: escalate_after,
      },
      nowIso(),
      requestActor(c),
      escalationProblem,
    );
    if ("missing" in outcome) throw notFound();
    if ("invalid" in outcome) throw invalidRequest("json", [outcome.invalid]);
    if ("unreadable" in outcome) throw unreadable(outcome.unreadable);
    return c.json(toApiDestination(outcome.changed, null)); // just sealed under the current key
  },
);

destinations.delete("/:id", validate("param", DestinationIdParamSchema), async (c) => {
  const { id } = c.req.valid("param");
  if (!(await deleteDestination(c.env.DB, id, requestActor(c)))) throw notFound();
  return c.body(null, 204);
});

destinations.all("/:id", methodNotAllowed("GET, PATCH, DELETE"));

/** A test message ({@link sendTestMessage}): the receiver's status and how long it took, never its body. */
destinations.post("/:id/test", validate("param", DestinationIdParamSchema), async (c) => {
  const outcome = await sendTestMessage(c.env.DB, c.var.keyring, c.req.valid("param").id, c.env, {
    origin: new URL(c.req.url).origin,
    actor: requestActor(c),
  });
  if ("missing" in outcome) throw notFound();
  if ("unreadable" in outcome) throw unreadable("its key is not in DESTINATIONS_KEY, or it does not decrypt");
  return c.json(outcome.sent);
});

destinations.all("/:id/test", methodNotAllowed("POST"));
