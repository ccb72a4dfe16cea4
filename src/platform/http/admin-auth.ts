/**
 * Admin API authentication: `Authorization: Bearer <ADMIN_TOKEN>` (a Wrangler secret), compared in
 * constant time by Hono's bearerAuth.
 * - No usable ADMIN_TOKEN (./admin-token.ts): 503 for everyone.
 * - Failed attempts are counted per client address (`admin:<ip>` on AUTH_RATE_LIMITER). Past the
 *   cap the isolate remembers the verdict for the limiter's window and answers 429 before comparing
 *   anything, so there even the right token tells a guesser nothing. Requests with the right token
 *   spend nothing, so API clients are not throttled.
 */
import { bearerAuth } from "hono/bearer-auth";
import { every } from "hono/combine";
import { createMiddleware } from "hono/factory";
import { timingSafeEqual } from "hono/utils/buffer";
import type { AppEnv } from "../env";
import { adminTokenUnusable, isUsableAdminToken } from "./admin-token";
import { blockClient, clientIp, isBlockedClient, tooManyRequests } from "./client-block";
import { withinLimit } from "./limiter";

const budgetKey = (headers: Headers) => `admin:${clientIp(headers)}`;

/** 503 without a usable token, 429 for an address past its budget; before any token is compared. */
const admitted = () =>
  createMiddleware<AppEnv>(async function admitted(c, next) {
    if (!isUsableAdminToken(c.env.ADMIN_TOKEN)) throw adminTokenUnusable();
    if (isBlockedClient(budgetKey(c.req.raw.headers))) throw tooManyRequests();
    await next();
  });

export const requireAdmin = () =>
  every(
    admitted(),
    bearerAuth({
      realm: "itoc360",
      verifyToken: async (token, c) => {
        const env = c.env as Env;
        if (await timingSafeEqual(token, env.ADMIN_TOKEN)) return true;
        const key = budgetKey(c.req.raw.headers);
        if (await withinLimit(env.AUTH_RATE_LIMITER, key)) return false;
        blockClient(key);
        throw tooManyRequests();
      },
    }),
  );
