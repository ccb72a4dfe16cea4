/**
 * valibot issues → `{path, message}` pairs for problem details. Nothing from the input is quoted:
 * valibot's default messages carry `received`, so only our own messages and `expected` are used, and
 * a path stops at the first map (`build.parameters`): the keys below it are the sender's (a
 * parameter named after a password, say), not field names of ours.
 */
import type * as v from "valibot";

export interface FieldProblem {
  /**
   * Path into the input (`build.number`, `policy.branches.include[0]`), up to the first map; empty
   * for the document itself.
   */
  path: string;
  message: string;
}

/** The parts of a valibot schema that name fields: object entries, array items, wrapped schemas. */
interface SchemaNode {
  type: string;
  wrapped?: SchemaNode;
  entries?: Record<string, SchemaNode>;
  item?: SchemaNode;
}

/**
 * The issue's path as far as the schema names it. valibot marks a record's entries like an object's
 * (`type: "object"`), so the schema is walked alongside: the path ends where no entry or array item
 * of ours is left, at a `v.record` map.
 */
function fieldPath(
  schema: v.GenericSchema,
  issue: v.BaseIssue<unknown>,
): { path: string; node?: SchemaNode } {
  let path = "";
  let node: SchemaNode | undefined = schema as SchemaNode;
  for (const { key } of issue.path ?? []) {
    while (node?.wrapped) node = node.wrapped; // optional, nullish, nullable
    if (typeof key === "string" && node?.entries && Object.hasOwn(node.entries, key)) {
      node = node.entries[key];
      path += path ? `.${key}` : key;
    } else if (typeof key === "number" && node?.type === "array") {
      node = node.item;
      path += `[${key}]`;
    } else break;
  }
  return { path, node };
}

function describe(schema: v.GenericSchema, issue: v.BaseIssue<unknown>): FieldProblem {
  const { path, node } = fieldPath(schema, issue);
  // A key a strict object does not know: reported on the object, naming the keys it does know (ours).
  if (issue.type === "strict_object" && issue.expected === "never") {
    const known = Object.keys(node?.entries ?? {});
    return { path, message: `unknown field; expected only ${known.join(", ")}` };
  }
  // A missing key is reported on the object, with the key's name as `expected`.
  if (
    (issue.type === "object" || issue.type === "strict_object") &&
    issue.input === undefined &&
    issue.path?.length
  ) {
    return { path, message: "is required" };
  }
  // Validation actions and picklists carry messages written in our schemas.
  if (issue.kind === "validation" || issue.type === "picklist") return { path, message: issue.message };
  return { path, message: `expected ${issue.expected ?? issue.type}` };
}

/** The issues of parsing with `schema`, one entry per distinct path and message. */
export function describeIssues(
  schema: v.GenericSchema,
  issues: readonly v.BaseIssue<unknown>[],
): FieldProblem[] {
  const unique = new Map<string, FieldProblem>();
  for (const issue of issues) {
    const problem = describe(schema, issue);
    unique.set(`${problem.path}\n${problem.message}`, problem);
  }
  return [...unique.values()];
}
