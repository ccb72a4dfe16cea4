/**
 * The one error shape: RFC 9457 problem details (`application/problem+json`). Handlers throw
 * `problem(...)`; `onError` renders it, and turns any other error into the same shape. Nothing from
 * the request (body, token, URL) is ever copied into a problem.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { FieldProblem } from "../issues";

export const PROBLEM_JSON = "application/problem+json";

export interface ProblemInit {
  /** A short kebab-case name, exposed as `type` = `urn:itoc360:problem:<slug>`. */
  slug: string;
  title: string;
  detail?: string;
  errors?: FieldProblem[];
  headers?: Record<string, string>;
}

/** An HTTPException carrying a ready problem+json response, and its slug (for logs and counters). */
export class Problem extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly slug: string,
    res: Response,
    title: string,
  ) {
    super(status, { res, message: title });
  }
}

/** The problem slug an error is answered with (see `onError`). */
export function problemSlug(err: unknown): string {
  if (err instanceof Problem) return err.slug;
  if (err instanceof HTTPException) return GENERIC[err.status]?.slug ?? "http-error";
  return "internal";
}

export function problem(status: ContentfulStatusCode, init: ProblemInit): Problem {
  const body = {
    type: `urn:itoc360:problem:${init.slug}`,
    title: init.title,
    status,
    ...(init.detail ? { detail: init.detail } : {}),
    ...(init.errors ? { errors: init.errors } : {}),
  };
  const res = new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": PROBLEM_JSON, ...init.headers },
  });
  return new Problem(status, init.slug, res, init.title);
}

/** Titles for HTTPExceptions thrown by Hono's own middleware (bearer auth, body limit, csrf). */
const GENERIC: Partial<Record<number, { slug: string; title: string }>> = {
  400: { slug: "bad-request", title: "Bad request" },
  401: { slug: "unauthorized", title: "Unauthorized" },
  403: { slug: "forbidden", title: "Forbidden" },
  413: { slug: "payload-too-large", title: "Payload too large" },
};

export function onError(err: Error, c: Context): Response {
  if (err instanceof HTTPException) {
    const res = err.getResponse();
    if (res.headers.get("Content-Type") === PROBLEM_JSON) return res;
    const known = GENERIC[err.status] ?? { slug: "http-error", title: "Request failed" };
    const challenge = res.headers.get("WWW-Authenticate");
    return problem(err.status, {
      ...known,
      // Hono's own messages ("Malformed JSON in request body") never contain request data.
      detail: err.message && err.message !== known.title ? err.message : undefined,
      headers: challenge ? { "WWW-Authenticate": challenge } : undefined,
    }).getResponse();
  }
  // Unexpected: log once, without the request URL (it may carry the token), answer generically.
  console.error(JSON.stringify({ message: "unhandled error", path: c.req.path, error: String(err) }));
  return problem(500, { slug: "internal", title: "Internal error" }).getResponse();
}

export function notFound(): Response {
  return problem(404, { slug: "not-found", title: "Not found" }).getResponse();
}

/** A handler for the methods a route does not serve. */
export function methodNotAllowed(allow: string) {
  return (): never => {
    throw problem(405, {
      slug: "method-not-allowed",
      title: "Method not allowed",
      detail: `This resource accepts ${allow}.`,
      headers: { Allow: allow },
    });
  };
}
