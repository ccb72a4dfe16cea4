/** /api/audit (admin only, reads included): who changed what, newest first, filtered by actor, action, target and time. */
import { Hono } from "hono";
import * as v from "valibot";
import { AuditFilterFields } from "../audit/schema";
import { listAudit } from "../audit/store";
import { type AuthEnv, requireRole } from "../people/require-role";
import { PagingEntries, page } from "../platform/http/paging";
import { methodNotAllowed } from "../platform/http/problem";
import { validate } from "../platform/http/validate";

const filter = AuditFilterFields;
export const AuditListQuerySchema = v.object({
  actor: v.optional(filter.actor),
  action: v.optional(filter.action),
  target: v.optional(filter.target),
  from: v.optional(filter.from),
  to: v.optional(filter.to),
  ...PagingEntries,
});

export const audit = new Hono<AuthEnv>();

// Admins only, reads included: the log names people and their addresses.
audit.use(requireRole("admin", "admin"));

audit.get("/", validate("query", AuditListQuerySchema), async (c) => {
  const { limit, cursor, ...filters } = c.req.valid("query");
  // One row more than asked tells whether there is a next page.
  const { items, next_cursor } = page(await listAudit(c.env.DB, filters, limit + 1, cursor), limit);
  return c.json({ entries: items, next_cursor });
});

audit.all("/", methodNotAllowed("GET"));
