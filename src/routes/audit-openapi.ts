/** The OpenAPI description of /api/audit (./audit.ts). */
import * as v from "valibot";
import { ACTOR_KINDS } from "../audit/actor";
import { AUDIT_ACTIONS } from "../audit/entry";
import { type ApiPaths, invalid, jsonResponse, PAGING_NOTES } from "../platform/http/openapi";
import { AuditListQuerySchema } from "./audit";
import { Integer, NextCursor, Timestamp } from "./schemas";

export const AuditEntrySchema = v.object({
  id: Integer,
  at: Timestamp,
  actor: v.object({
    kind: v.pipe(
      v.picklist(ACTOR_KINDS),
      v.description(
        "A person (Access), an Access service token, a personal API token, the ADMIN_TOKEN, or the Worker itself.",
      ),
    ),
    name: v.pipe(
      v.string(),
      v.description("The verified identity: an email, a common name, a token's name."),
    ),
    ip: v.pipe(v.nullable(v.string()), v.description("The client's address as Cloudflare saw it.")),
  }),
  action: v.picklist(AUDIT_ACTIONS),
  target: v.pipe(v.nullable(v.string()), v.description("`<kind>:<id>`, such as `incident:12`.")),
  details: v.pipe(
    v.nullable(v.record(v.string(), v.unknown())),
    v.description("A short before/after or summary; never a secret, URL or token."),
  ),
});

export const auditPaths: ApiPaths = {
  "/api/audit": {
    get: {
      operationId: "listAudit",
      summary:
        "The audit log (admin only), newest first: every change, who made it (the verified identity), when and from where; filtered by actor (name), action, target and time (`from` inclusive, `to` exclusive)",
      query: AuditListQuerySchema,
      notes: PAGING_NOTES,
      responses: { 200: jsonResponse("A page of audit entries.", "AuditList"), 400: invalid },
    },
  },
};

export const auditSchemas = {
  AuditEntry: AuditEntrySchema,
  AuditList: v.object({ entries: v.array(AuditEntrySchema), next_cursor: NextCursor }),
};
