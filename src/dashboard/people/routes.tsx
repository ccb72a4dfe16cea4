/**
 * The dashboard's People page: anyone with a role sees who they are and manages their own personal API
 * tokens (a reload of the "token created" answer creates nothing: ../shell/form-nonce.ts); an admin also
 * sees everyone's tokens and gives and takes roles. The same store functions as /api/tokens and
 * /api/people, so the same rules and audit entries.
 */
import { type Context, Hono } from "hono";
import * as v from "valibot";
import { admins } from "../../people/admins";
import { deleteGrant, listGrants, putGrant } from "../../people/role-store";
import { isAtLeast } from "../../people/roles";
import { NewTokenSchema, RoleChangeSchema, SubjectSchema } from "../../people/schema";
import { mayRevoke, tokenOwner, whyNoToken } from "../../people/token-rules";
import { createToken, getToken, listTokens, revokeToken } from "../../people/token-store";
import { nowIso } from "../../platform/clock";
import { FormNonceSchema, isCurrent, newFormNonce, recordUse, usedFor } from "../shell/form-nonce";
import { type DashboardEnv, nonce, pageFor, signedInPage } from "../shell/page-context";
import { PeoplePage } from "./people-page";
import { TokenCreatedPage } from "./token-created-page";

export const peoplePages = new Hono<DashboardEnv>();

const STALE_FORM =
  "This form is more than a day old or was already used, so nothing was created: fill it in again.";

const principalOf = (c: Context<DashboardEnv>) => {
  const principal = c.get("principal");
  if (!principal) throw new Error("People pages run after requirePrincipal");
  return principal;
};

async function peoplePage(c: Context<DashboardEnv>, message?: { notice?: string; error?: string }) {
  const principal = principalOf(c);
  const isAdmin = isAtLeast(principal.role, "admin");
  const [tokens, grants] = await Promise.all([
    listTokens(c.env.DB, tokenOwner(principal)),
    isAdmin ? listGrants(c.env.DB) : Promise.resolve(null),
  ]);
  const page = (
    <PeoplePage
      nonce={nonce(c)}
      principal={principal}
      tokens={tokens}
      grants={grants}
      admins={isAdmin ? admins(c.env) : []}
      formNonce={newFormNonce()}
      now={nowIso()}
      {...message}
    />
  );
  return c.html(page, message?.error ? 400 : 200);
}

const firstIssue = (field: string, issues: v.BaseIssue<unknown>[]) =>
  `${field}: ${issues[0]?.message ?? "invalid"}.`;

peoplePages.get("/people", signedInPage, (c) => peoplePage(c));

peoplePages.post("/people/tokens", signedInPage, async (c) => {
  const form = await c.req.parseBody();
  const formNonce = v.safeParse(FormNonceSchema, form.form_nonce);
  if (!formNonce.success || !isCurrent(formNonce.output)) return peoplePage(c, { error: STALE_FORM });
  if ((await usedFor(c.env.SOURCES, formNonce.output)) !== null) return peoplePage(c, { error: STALE_FORM });
  const read = v.safeParse(NewTokenSchema, { name: form.name, role: form.role, expires_in: form.expires_in });
  if (!read.success) {
    const field = String(read.issues[0]?.path?.[0]?.key ?? "token");
    return peoplePage(c, { error: firstIssue(field, read.issues) });
  }
  const principal = principalOf(c);
  const refused = whyNoToken(principal, read.output.role);
  if (refused) return peoplePage(c, { error: `Role: ${refused}` });
  const { actor, groups } = principal;
  const { name, expires_in } = read.output;
  const created = await createToken(
    c.env.DB,
    { name, role: read.output.role, expiresInMs: expires_in, creatorGroups: groups },
    actor,
  );
  await recordUse(c.env.SOURCES, formNonce.output, `token:${created.token.id}`);
  return c.html(<TokenCreatedPage nonce={nonce(c)} token={created.token} value={created.value} />, 201);
});

peoplePages.post("/people/tokens/:id/revoke", signedInPage, async (c) => {
  const token = await getToken(c.env.DB, c.req.param("id"));
  if (token && mayRevoke(principalOf(c), token)) {
    await revokeToken(c.env.DB, token, principalOf(c).actor);
    return peoplePage(c, { notice: `Token “${token.name}” revoked.` });
  }
  return peoplePage(c, { error: "No such token of yours." });
});

peoplePages.post("/people/roles", pageFor("admin"), async (c) => {
  const form = await c.req.parseBody();
  const subject = v.safeParse(
    SubjectSchema,
    typeof form.subject === "string" ? form.subject.trim() : form.subject,
  );
  if (!subject.success) return peoplePage(c, { error: firstIssue("Who", subject.issues) });
  const change = v.safeParse(RoleChangeSchema, { role: form.role });
  if (!change.success) return peoplePage(c, { error: firstIssue("Role", change.issues) });
  const { after } = await putGrant(c.env.DB, subject.output, change.output.role, principalOf(c).actor);
  return peoplePage(c, { notice: `${after.subject} is now ${after.role}.` });
});

peoplePages.post("/people/roles/remove", pageFor("admin"), async (c) => {
  const form = await c.req.parseBody();
  const subject = v.safeParse(SubjectSchema, form.subject);
  if (!subject.success || !(await deleteGrant(c.env.DB, subject.output, principalOf(c).actor))) {
    return peoplePage(c, { error: "Nobody by that name has a role in D1 or a live token." });
  }
  return peoplePage(c, { notice: `${subject.output} has no role in D1 any more.` });
});
