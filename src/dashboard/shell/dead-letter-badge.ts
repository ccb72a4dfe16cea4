/**
 * The header's dead-letter count: on every signed-in page (./page-context.ts), the layout's link to
 * the Dead letters page gets the number of stored dead letters when it is not zero. HTMLRewriter
 * fills it in as the page streams, so the count is read only for responses that have the link (no
 * redirect, no live fragment), and no page has to pass it down to the layout.
 */
import { createMiddleware } from "hono/factory";
import { countDeadLetters } from "../../dead-letters/store";
import type { AppEnv } from "../../platform/env";

/** The id of the layout's link to /dead-letters. */
export const DEAD_LETTERS_LINK_ID = "nav-dead-letters";

export const deadLetterBadge = () =>
  createMiddleware<AppEnv>(async function deadLetterBadge(c, next) {
    await next();
    if (!c.res.headers.get("Content-Type")?.startsWith("text/html")) return;
    const db = c.env.DB;
    c.res = new HTMLRewriter()
      .on(`a#${DEAD_LETTERS_LINK_ID}`, {
        async element(link) {
          // A count that cannot be read leaves the link as it is: the page still renders.
          const count = await countDeadLetters(db).catch(() => 0);
          if (count > 0) {
            link.append(` <span class="badge s-open" title="${count} waiting">${count}</span>`, {
              html: true,
            });
          }
        },
      })
      .transform(c.res);
  });
