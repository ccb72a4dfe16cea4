/**
 * Hono's validator with a valibot schema: the parsed output becomes `c.req.valid(target)`, and any
 * issue becomes a 400 problem listing each field path and what was expected (never the input).
 */
import { validator } from "hono/validator";
import * as v from "valibot";
import { describeIssues, type FieldProblem } from "../domain/issues";
import { problem } from "./problem";

export function validate<T extends "json" | "query" | "param", S extends v.GenericSchema>(
  target: T,
  schema: S,
) {
  return validator(target, (value) => {
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
