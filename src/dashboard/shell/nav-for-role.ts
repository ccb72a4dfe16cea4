/**
 * The header's navigation for the reader's role: on every signed-in page, links to pages above the
 * reader's role ({@link NAV}'s `needs`) are taken out as the page streams, like the dead-letter count
 * is filled in, so no page has to pass the role down to {@link Layout}. An admin's pages are not
 * rewritten at all.
 */
import { createMiddleware } from "hono/factory";
import { isAtLeast } from "../../people/roles";
import { NAV } from "./layout";
import type { PrincipalEnv } from "./principal";

export const navForRole = () =>
  createMiddleware<PrincipalEnv>(async function navForRole(c, next) {
    await next();
    const role = c.get("principal")?.role ?? null;
    const hidden = NAV.filter((link) => !isAtLeast(role, link.needs));
    if (hidden.length === 0 || !c.res.headers.get("Content-Type")?.startsWith("text/html")) return;
    const rewriter = new HTMLRewriter();
    for (const link of hidden) {
      rewriter.on(`header.top nav a[href="${link.href}"]`, {
        element(a) {
          a.remove();
        },
      });
    }
    c.res = rewriter.transform(c.res);
  });
