/**
 * Every signed-in page and live fragment shows direction controls as visible escapes
 * ({@link showDirectionControls}) in its text and in the attributes people read (tooltips, labels, and
 * the live lists' announcements): job names, branches, culprits, test names and raw payloads all come
 * from Jenkins, and one page-wide pass (HTMLRewriter, as the page streams) covers them all, on pages
 * written now and later, without each component having to remember. Links and form values are left
 * as they are: a search must still find what Jenkins sent.
 */
import { createMiddleware } from "hono/factory";
import {
  hasDirectionControls,
  showDirectionControls,
  showDirectionControlsInHtml,
} from "../../platform/direction-controls";
import type { AppEnv } from "../../platform/env";

/** Attributes whose value a person reads or hears (data-announce: what {@link LIVE_SCRIPT} says in the live region). */
const READ_ATTRIBUTES = ["title", "aria-label", "alt", "placeholder", "data-announce"] as const;

/** Middleware: direction controls in an HTML answer's text and read attributes, as escapes. */
export const visibleDirectionControls = () =>
  createMiddleware<AppEnv>(async function visibleDirectionControls(c, next) {
    await next();
    if (!c.res.headers.get("Content-Type")?.startsWith("text/html")) return;
    // Inside a textarea (a form value), a script or a style, text is left as it is.
    let untouched = 0;
    const rewriter = new HTMLRewriter()
      .on("textarea, script, style", {
        element(element) {
          untouched += 1;
          element.onEndTag(() => {
            untouched -= 1;
          });
        },
      })
      .onDocument({
        // Each control is one UTF-16 unit, so a chunk boundary never splits one. `chunk.text` is the
        // page's source, entities and all: it goes back as HTML, with only the controls changed (as
        // text, `replace` would escape its `&amp;` once more).
        text(chunk) {
          if (untouched === 0 && hasDirectionControls(chunk.text)) {
            chunk.replace(showDirectionControlsInHtml(chunk.text), { html: true });
          }
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
