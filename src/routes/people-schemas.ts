/**
 * What /api/people and /api/tokens answer (src/people/role-store.ts RoleGrant, src/people/token-store.ts
 * ApiToken), as valibot schemas for the OpenAPI document and test/routes/api-answers.test.ts.
 */
import * as v from "valibot";
import { RoleSchema } from "../people/schema";
import { Timestamp } from "./schemas";

export const RoleGrantSchema = v.object({
  subject: v.pipe(v.string(), v.description("An email, a service token's common name, or `group:<name>`.")),
  role: RoleSchema,
  updated_at: Timestamp,
  updated_by: v.pipe(v.string(), v.description("Who gave it (as the audit log names them).")),
});

export const PeopleListSchema = v.object({
  people: v.array(RoleGrantSchema),
  admins: v.pipe(v.array(v.string()), v.description("Who the ADMINS var makes admins, whatever D1 says.")),
});

export const ApiTokenSchema = v.object({
  id: v.pipe(v.string(), v.uuid()),
  name: v.string(),
  role: RoleSchema,
  created_by: v.string(),
  created_by_kind: v.string(),
  created_at: Timestamp,
  expires_at: v.nullable(Timestamp),
  revoked_at: v.nullable(Timestamp),
  last_used_at: v.pipe(v.nullable(Timestamp), v.description("Noted at most once an hour.")),
});

export const CreatedTokenSchema = v.object({
  ...ApiTokenSchema.entries,
  token: v.pipe(v.string(), v.description("The token (`itoc_pat_…`), in this answer only.")),
});

export const TokenListSchema = v.object({ tokens: v.array(ApiTokenSchema) });
