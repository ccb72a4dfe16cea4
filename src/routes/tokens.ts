/**
 * /api/tokens (any role): personal API tokens, for scripts and CI instead of the shared ADMIN_TOKEN.
 * Create one (its value is in that answer only), list them (never values: yours, or everyone's for an
 * admin), revoke one (at once, for good). A token never outranks the one who created it, and a token
 * cannot create tokens (it could otherwise outlive its own expiry).
 */
import { Hono } from "hono";
import { type AuthEnv, requireRole } from "../people/require-role";
import { NewTokenSchema, TokenIdParamSchema } from "../people/schema";
import { mayRevoke, tokenOwner, whyNoToken } from "../people/token-rules";
import { createToken, getToken, listTokens, revokeToken } from "../people/token-store";
import { methodNotAllowed, problem } from "../platform/http/problem";
import { validate } from "../platform/http/validate";

export const tokens = new Hono<AuthEnv>();

tokens.use(requireRole("viewer"));

tokens.post("/", validate("json", NewTokenSchema), async (c) => {
  const principal = c.get("principal");
  const { name, role, expires_in } = c.req.valid("json");
  const refused = whyNoToken(principal, role);
  if (refused) throw problem(403, { slug: "forbidden", title: "Forbidden", detail: refused });
  const init = { name, role, expiresInMs: expires_in, creatorGroups: principal.groups };
  const created = await createToken(c.env.DB, init, principal.actor);
  return c.json({ ...created.token, token: created.value }, 201);
});

tokens.get("/", async (c) => c.json({ tokens: await listTokens(c.env.DB, tokenOwner(c.get("principal"))) }));
tokens.all("/", methodNotAllowed("GET, POST"));

tokens.delete("/:id", validate("param", TokenIdParamSchema), async (c) => {
  const principal = c.get("principal");
  const token = await getToken(c.env.DB, c.req.valid("param").id);
  if (!token || !mayRevoke(principal, token)) {
    throw problem(404, { slug: "not-found", title: "Not found", detail: "No such token of yours." });
  }
  await revokeToken(c.env.DB, token, principal.actor);
  return c.body(null, 204);
});
tokens.all("/:id", methodNotAllowed("DELETE"));
