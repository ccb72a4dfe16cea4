/**
 * Text → validated Notification, or the list of problems found, each with its field path and what
 * was expected. Messages never quote the input: valibot's `received` is deliberately left out.
 */
import * as v from "valibot";
import { describeIssues, type FieldProblem } from "./issues";
import { type Notification, NotificationSchema } from "./notification";

export type ParseResult =
  | { ok: true; notification: Notification; document: Record<string, unknown> }
  | { ok: false; problems: FieldProblem[] };

export function parseNotification(text: string): ParseResult {
  if (text.trim() === "") return fail("", "the body is empty; expected a JSON object");
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch {
    return fail("", "the body is not valid JSON");
  }
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return fail("", "expected a JSON object");
  }
  const result = v.safeParse(NotificationSchema, input);
  if (result.success) {
    return { ok: true, notification: result.output, document: input as Record<string, unknown> };
  }
  return { ok: false, problems: describeIssues(result.issues) };
}

function fail(path: string, message: string): ParseResult {
  return { ok: false, problems: [{ path, message }] };
}
