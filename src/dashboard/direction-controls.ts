/**
 * Every signed-in page and live fragment shows direction controls as visible escapes
 * ({@link showDirectionControls}) in its text and in the attributes people read (tooltips, labels, and
 * the live lists' announcements): job names, branches, culprits, test names and raw payloads all come
 * from Jenkins, and one page-wide pass (HTMLRewriter, as the page streams) covers them all, on pages
 * written now and later, without each component having to remember. Links and form values are left
 * as they are: a search must still find what Jenkins sent.
 */
import { createMiddleware } from "hono/factory";
import { hasDirectionControls, showDirectionControls } from "../domain/direction-controls";
import type { AppEnv } from "../env";

/** Attributes whose value a person reads or hears (data-announce: what {@link LIVE_SCRIPT} says in the live region). */
const READ_ATTRIBUTES = ["title", "aria-label", "alt", "placeholder", "data-announce"] as const;

/** Middleware: direction controls in an HTML answer's text and read attributes, as escapes. */
export const visibleDirectionControls = () =>
  createMiddleware<AppEnv>(async function visibleDirectionControls(c, next) {
    await next();
    if (!c.res.headers.get("Content-Type")?.startsWith("text/html")) return;
    const rewriter = new HTMLRewriter().onDocument({
      // Each control is one UTF-16 unit, so a chunk boundary never splits one.
      text(chunk) {
        if (hasDirectionControls(chunk.text)) chunk.replace(showDirectionControls(chunk.text));
      },
    });
    for (const name of READ_ATTRIBUTES) {
      rewriter.on(`[${name}]`, {
        element(element) {
          const value = element.getAttribute(name) ?? "";
          if (hasDirectionControls(value)) element.setAttribute(name, showDirectionControls(value));
        },
      });
    }
    c.res = rewriter.transform(c.res);
  });
