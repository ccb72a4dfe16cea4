/**
 * Hono's validator with a valibot schema: the parsed output becomes `c.req.valid(target)`, and any
 * issue becomes a 400 problem listing each field path and what was expected (never the input). A body
 * that is not labelled JSON is a 415: Hono's validator would read it as `{}`, so a PATCH sent without
 * `Content-Type: application/json` would answer 200 and change nothing. No body at all is `{}` (the
 * actions whose body is optional).
 */
import { validator } from "hono/validator";
import * as v from "valibot";
import { describeIssues, type FieldProblem } from "../issues";
import { mediaType } from "./body";
import { problem } from "./problem";

/** Whether the request says it carries a body (a length above 0, or a chunked one). */
const hasBody = (request: Request) =>
  (request.headers.get("Content-Length") ?? "0") !== "0" || request.headers.has("Transfer-Encoding");

export function validate<T extends "json" | "query" | "param", S extends v.GenericSchema>(
  target: T,
  schema: S,
) {
  return validator(target, (value, c) => {
    if (
      target === "json" &&
      hasBody(c.req.raw) &&
      mediaType(c.req.header("Content-Type")) !== "application/json"
    ) {
      throw problem(415, {
        slug: "unsupported-media-type",
        title: "Unsupported media type",
        detail: "Send the body as application/json.",
      });
    }
    const result = v.safeParse(schema, value);
    if (result.success) return result.output as v.InferOutput<S>;
    throw invalidRequest(target, describeIssues(schema, result.issues));
  });
}

/** The 400 for a request whose `target` breaks a rule no schema can check alone (a URL's host, say). */
export function invalidRequest(target: "json" | "query" | "param", errors: FieldProblem[]) {
  return problem(400, {
    slug: "invalid-request",
    title: "Invalid request",
    detail: `The request ${target === "json" ? "body" : target} is not valid; see \`errors\`.`,
    errors,
  });
}
