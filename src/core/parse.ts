/**
 * Text → validated JenkinsPayload, or the list of problems found, each with its field path and what
 * was expected. JSON and the plugin's XML form go through the same schema. Messages never quote the
 * input: valibot's `received` is deliberately left out.
 */
import * as v from "valibot";
import { describeIssues, type FieldProblem } from "../platform/issues";
import { xmlToDocument } from "../platform/xml";
import { type JenkinsPayload, JenkinsPayloadSchema } from "./payload";

export type BodyFormat = "json" | "xml";

type ParseResult =
  | { ok: true; payload: JenkinsPayload; document: Record<string, unknown>; format: BodyFormat }
  | { ok: false; problems: FieldProblem[] };

/**
 * The body's format: XML when declared so, and also when declared JSON but the body is plainly
 * XML, as plugins up to 1.5 sent it.
 */
export function bodyFormat(mediaType: string, text: string): BodyFormat {
  if (mediaType === "application/xml" || mediaType === "text/xml") return "xml";
  return text.trimStart().startsWith("<") ? "xml" : "json";
}

export function parseJenkinsPayload(text: string, format: BodyFormat = "json"): ParseResult {
  if (text.trim() === "")
    return fail(`the body is empty; expected a ${format === "xml" ? "<job> document" : "JSON object"}`);
  let input: unknown;
  try {
    input = format === "xml" ? xmlToDocument(text) : JSON.parse(text);
  } catch {
    return fail(
      format === "xml" ? "the body is not a well-formed <job> XML document" : "the body is not valid JSON",
    );
  }
  if (typeof input !== "object" || input === null || Array.isArray(input))
    return fail("expected a JSON object");
  const result = v.safeParse(JenkinsPayloadSchema, input);
  if (!result.success) return { ok: false, problems: describeIssues(JenkinsPayloadSchema, result.issues) };
  return { ok: true, payload: result.output, document: input as Record<string, unknown>, format };
}

function fail(message: string): ParseResult {
  return { ok: false, problems: [{ path: "", message }] };
}
