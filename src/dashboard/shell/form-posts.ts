/**
 * Dashboard form posts, checked before anything reads the body: only the form media types (415
 * otherwise; Hono's csrf check looks only at form-typed posts, so a JSON post would slip past it)
 * and at most 16 KiB (413; the forms hold a token, a name and a path).
 */
import { every } from "hono/combine";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../platform/env";
import { limitBody, requireMediaType } from "../../platform/http/body";

const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"] as const;
const MAX_FORM_BYTES = 16 * 1024;

export const formPosts = () => {
  const checks = every(requireMediaType(FORM_TYPES), limitBody(MAX_FORM_BYTES));
  return createMiddleware<AppEnv>(async function formPosts(c, next) {
    if (c.req.method !== "POST") return next();
    return checks(c, next);
  });
};
