/**
 * valibot issues → `{path, message}` pairs for problem details. Messages never quote the input:
 * valibot's default messages carry `received`, so only our own messages and `expected` are used.
 */
import * as v from "valibot";

export interface FieldProblem {
  /** Dotted path into the input (`build.number`); empty for the document itself. */
  path: string;
  message: string;
}

export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): FieldProblem[] {
  return issues.map((issue) => {
    const path = v.getDotPath(issue) ?? "";
    // A missing key is reported on the object, with the key's name as `expected`.
    if (issue.type === "object" && issue.input === undefined && issue.path?.length) {
      return { path, message: "is required" };
    }
    // Validation actions and picklists carry messages written in our schemas.
    if (issue.kind === "validation" || issue.type === "picklist") return { path, message: issue.message };
    return { path, message: `expected ${issue.expected ?? issue.type}` };
  });
}
