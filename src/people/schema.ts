/**
 * Request bodies and parameters of /api/people and /api/tokens, which the dashboard's forms are read into
 * too: every rule with the field each refusal names.
 */
import * as v from "valibot";
import { describeMs, parseDuration } from "../platform/duration";
import { GROUP_PREFIX } from "./role-store";
import { ROLES } from "./roles";

export const RoleSchema = v.picklist(ROLES, `expected one of ${ROLES.join(", ")}`);

const EMAIL = /^[^\s@]+@[^\s@]+$/;
/** An Access service token's common name: its client id, `<hex>.access`. */
const SERVICE = /^[\w-]+\.access$/;
const GROUP = new RegExp(`^${GROUP_PREFIX}\\S(?:.*\\S)?$`);

/** Who a role is for: an email, an Access service token's common name, or `group:<Access group name>`. */
export const SubjectSchema = v.pipe(
  v.string(),
  v.maxLength(254, "at most 254 characters"),
  v.check(
    (text) => EMAIL.test(text) || SERVICE.test(text) || GROUP.test(text),
    "expected an email, an Access service token's common name (<client id>.access) or group:<Access group>",
  ),
);

export const SubjectParamSchema = v.object({ subject: SubjectSchema });

export const RoleChangeSchema = v.strictObject({ role: RoleSchema });

const MIN_EXPIRY_MS = 3_600_000;
const MAX_EXPIRY_MS = 366 * 86_400_000;
export const DEFAULT_EXPIRES_IN = "90d";

export const NewTokenSchema = v.strictObject({
  name: v.pipe(
    v.string("expected a string"),
    v.trim(),
    v.minLength(1, "must not be empty"),
    v.maxLength(100, "at most 100 characters"),
  ),
  role: RoleSchema,
  expires_in: v.pipe(
    v.optional(v.string("expected a duration such as 90d"), DEFAULT_EXPIRES_IN),
    v.description(
      `How long the token works: \`<n>h\` or \`<n>d\`, 1 hour to 366 days (default ${DEFAULT_EXPIRES_IN}).`,
    ),
    v.transform((text) => parseDuration(text) ?? Number.NaN),
    v.check(
      (ms) => ms >= MIN_EXPIRY_MS && ms <= MAX_EXPIRY_MS,
      `expected a duration from ${describeMs(MIN_EXPIRY_MS)} to ${describeMs(MAX_EXPIRY_MS)}, such as 90d`,
    ),
  ),
});

export const TokenIdParamSchema = v.object({ id: v.pipe(v.string(), v.uuid("expected a token id")) });
