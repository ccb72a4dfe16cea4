/**
 * A source's noise policy in the dashboard: the form filled with the stored policy, and its post
 * (session, CSRF and form checks by `signedInPage`). A valid post replaces the whole policy and
 * redirects to the form (a reload does not post again); an invalid one answers 400 with the form as
 * typed and each error, saving nothing. Unknown, revoked or malformed sources go back to the list.
 */

import { type Context, Hono } from "hono";
import * as v from "valibot";
import { requestActor } from "../../audit/request-actor";
import { describeIssues } from "../../platform/issues";
import { isSourceId } from "../../sources/model";
import { PolicySchema } from "../../sources/policy";
import { changePolicy } from "../../sources/policy-cache";
import { readPolicy } from "../../sources/policy-store";
import { getSource } from "../../sources/store";
import { may } from "../shell/may";
import { type DashboardEnv, nonce, pageFor, signedInPage } from "../shell/page-context";
import { fieldsFromForm, fieldsOf, formErrors, policyInput } from "./policy-form";
import { PolicyPage } from "./policy-page";

export const policyPages = new Hono<DashboardEnv>();

/** The source the page is about, or null for one that has no policy page. */
async function activeSource(c: Context<DashboardEnv>) {
  const id = c.req.param("id") ?? "";
  const found = isSourceId(id) ? await getSource(c.env.SOURCES, id) : null;
  return found && !found.record.disabled ? found.record : null;
}

policyPages.get("/sources/:id/policy", signedInPage, async (c) => {
  const source = await activeSource(c);
  if (!source) return c.redirect("/sources", 303);
  const policy = await readPolicy(c.env.DB, source.id);
  const saved = c.req.query("saved") !== undefined;
  const fields = fieldsOf(policy);
  const canEdit = may(c, "admin");
  return c.html(
    <PolicyPage nonce={nonce(c)} source={source} fields={fields} saved={saved} canEdit={canEdit} />,
  );
});

policyPages.post("/sources/:id/policy", pageFor("admin"), async (c) => {
  const source = await activeSource(c);
  if (!source) return c.redirect("/sources", 303);
  const fields = fieldsFromForm(await c.req.parseBody());
  const parsed = v.safeParse(PolicySchema, policyInput(fields));
  if (!parsed.success) {
    const errors = formErrors(describeIssues(PolicySchema, parsed.issues), fields);
    return c.html(
      <PolicyPage nonce={nonce(c)} source={source} fields={fields} errors={errors} canEdit />,
      400,
    );
  }
  await changePolicy(c.env, source.id, parsed.output, requestActor(c));
  return c.redirect(`/sources/${source.id}/policy?saved`, 303);
});
