/**
 * Admin API authentication: `Authorization: Bearer <ADMIN_TOKEN>` (a Wrangler secret), compared in
 * constant time by Hono's bearerAuth. With no ADMIN_TOKEN configured nothing is accepted.
 */
import { bearerAuth } from "hono/bearer-auth";
import { timingSafeEqual } from "hono/utils/buffer";

export const requireAdmin = () =>
  bearerAuth({
    realm: "itoc360",
    verifyToken: async (token, c) => {
      const expected = (c.env as Partial<Env> | undefined)?.ADMIN_TOKEN;
      return Boolean(expected) && (await timingSafeEqual(token, expected ?? ""));
    },
  });
