/**
 * /api/people (admin): who has which role. `:subject` is an email, an Access service token's common name,
 * or `group:<Access group>`. ADMINS (a var) names admins whatever D1 says; the list shows it beside the
 * grants. Every change is in the audit log; lowering or removing a person's role caps or revokes the
 * tokens they created (src/people/role-store.ts).
 */
import { Hono } from "hono";
import { admins } from "../people/admins";
import { type AuthEnv, requireRole } from "../people/require-role";
import { deleteGrant, getGrant, listGrants, putGrant } from "../people/role-store";
import { RoleChangeSchema, SubjectParamSchema } from "../people/schema";
import { methodNotAllowed, problem } from "../platform/http/problem";
import { validate } from "../platform/http/validate";

export const people = new Hono<AuthEnv>();

people.use(requireRole("admin", "admin"));

people.get("/", async (c) => c.json({ people: await listGrants(c.env.DB), admins: admins(c.env) }));
people.all("/", methodNotAllowed("GET"));

const noGrant = () =>
  problem(404, { slug: "not-found", title: "Not found", detail: "Nobody by that name has a role in D1." });

people.get("/:subject", validate("param", SubjectParamSchema), async (c) => {
  const grant = await getGrant(c.env.DB, c.req.valid("param").subject);
  if (!grant) throw noGrant();
  return c.json(grant);
});

people.put(
  "/:subject",
  validate("param", SubjectParamSchema),
  validate("json", RoleChangeSchema),
  async (c) => {
    const { after } = await putGrant(
      c.env.DB,
      c.req.valid("param").subject,
      c.req.valid("json").role,
      c.get("principal").actor,
    );
    return c.json(after);
  },
);

people.delete("/:subject", validate("param", SubjectParamSchema), async (c) => {
  if (!(await deleteGrant(c.env.DB, c.req.valid("param").subject, c.get("principal").actor))) {
    throw problem(404, {
      slug: "not-found",
      title: "Not found",
      detail: "Nobody by that name has a role in D1 or a live token.",
    });
  }
  return c.body(null, 204);
});

people.all("/:subject", methodNotAllowed("GET, PUT, DELETE"));
