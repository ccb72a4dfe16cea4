/**
 * The display name asked for at sign-in and sent as `by` with what the person does (acknowledge,
 * resolve): the API's own `by` field (trimmed, 1 to 100 characters). It is a label, not an identity:
 * everyone signs in with the one admin token and may type any name. The names the timeline's own
 * entries carry ("build", "heartbeat") are refused there, so nobody's action reads as the system's.
 */
import * as v from "valibot";
import { IncidentActionSchema } from "../../incidents/schema";

const DisplayNameSchema = IncidentActionSchema.entries.by.wrapped;

/** What the sign-in form's name field says: a name, none (left empty), or why it cannot be one. */
export function parseDisplayName(input: unknown): { name: string | null } | { error: string } {
  if (input === undefined || (typeof input === "string" && input.trim() === "")) return { name: null };
  const parsed = v.safeParse(DisplayNameSchema, input);
  return parsed.success ? { name: parsed.output } : { error: parsed.issues[0]?.message ?? "invalid" };
}

/** A string schema's `maxLength` (the form field's `maxlength`), read from the schema itself. */
export function maxLengthOf(schema: { pipe: readonly { type: string }[] }): number | undefined {
  const action = schema.pipe.find((item) => item.type === "max_length") as
    | { requirement?: number }
    | undefined;
  return action?.requirement;
}

/** The name field's `maxlength`: the API's limit on `by`. */
export const MAX_DISPLAY_NAME_LENGTH = maxLengthOf(IncidentActionSchema.entries.by.wrapped);
