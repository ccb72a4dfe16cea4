/** The dashboard's audit page: the log, newest first, filtered in the URL like `GET /api/audit`. */
import { Hono } from "hono";
import * as v from "valibot";
import { AuditFilterFields } from "../../audit/schema";
import { listAudit } from "../../audit/store";
import { CursorSchema, page as pageOf } from "../../platform/http/paging";
import { type DashboardEnv, nonce, pageFor } from "../shell/page-context";
import { AuditPage } from "./audit-page";

const PAGE_SIZE = 50;

/** An empty value, or one the API would refuse, is simply not applied. */
const optional = <S extends v.GenericSchema<string, unknown>>(schema: S) =>
  v.fallback(v.optional(v.pipe(v.string(), v.minLength(1), schema)), undefined);

const PageQuerySchema = v.object({
  actor: optional(AuditFilterFields.actor),
  action: optional(AuditFilterFields.action),
  target: optional(AuditFilterFields.target),
  from: optional(AuditFilterFields.from),
  to: optional(AuditFilterFields.to),
  cursor: v.fallback(v.optional(CursorSchema), undefined),
});

export const auditPages = new Hono<DashboardEnv>();

// Admins only: the log names people and their addresses.
auditPages.get("/audit", pageFor("admin"), async (c) => {
  const { cursor, ...filters } = v.parse(PageQuerySchema, c.req.query());
  const { items, next_cursor } = pageOf(await listAudit(c.env.DB, filters, PAGE_SIZE + 1, cursor), PAGE_SIZE);
  return c.html(<AuditPage nonce={nonce(c)} entries={items} filters={filters} older={next_cursor} />);
});
