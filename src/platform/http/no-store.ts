/**
 * Headers every response carries: nothing here is cacheable (alerts change, errors are per request)
 * and nothing is to be content-sniffed. No CORS headers: browsers have no business calling us.
 */
import { createMiddleware } from "hono/factory";

export const noStore = () =>
  createMiddleware(async function noStore(c, next) {
    await next();
    c.res.headers.set("Cache-Control", "no-store");
    c.res.headers.set("X-Content-Type-Options", "nosniff");
  });
