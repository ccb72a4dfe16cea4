/**
 * The banner for destinations DESTINATIONS_KEY cannot read, on every signed-in page above its content
 * (like the header's dead-letter count), so the operator sees it without opening the destinations page.
 * Filled in by HTMLRewriter as the page streams, only on pages with a
 * `<main id="content">` (not on live fragments or redirects): one D1 query and a decryption per
 * destination in memory ({@link unreadableDestinations}).
 */
import { createMiddleware } from "hono/factory";
import { KEY_WAIT_MAX_SECONDS } from "../../notify/destinations/key-wait";
import { type UnreadableDestination, unreadableDestinations } from "../../notify/destinations/readable";
import type { AppEnv } from "../../platform/env";

/** The banner's id (tests and the page's own CSS find it by it). */
export const KEY_BANNER_ID = "destinations-unreadable";

/** The banner: how many destinations, that their notifications wait, and each one's id, name and reason. */
export function KeyBanner({ unreadable }: { unreadable: UnreadableDestination[] }) {
  return (
    <div class="card notice" id={KEY_BANNER_ID} role="alert">
      <p>
        <strong>
          {unreadable.length === 1 ? "A destination" : `${unreadable.length} destinations`} cannot be read
          with DESTINATIONS_KEY:
        </strong>{" "}
        their notifications wait (not given up) and go out within {KEY_WAIT_MAX_SECONDS / 60} minutes of the
        right key being back. See docs/notifications.md "DESTINATIONS_KEY and key rotation".
      </p>
      <ul>
        {unreadable.map((d) => (
          <li>
            #{d.id} {d.name}: <small>{d.reason}</small>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Middleware: puts {@link KeyBanner} at the top of the page's content when a destination is unreadable. */
export const keyBanner = () =>
  createMiddleware<AppEnv>(async function keyBanner(c, next) {
    await next();
    if (!c.res.headers.get("Content-Type")?.startsWith("text/html")) return;
    const { env } = c;
    c.res = new HTMLRewriter()
      .on("main#content", {
        async element(main) {
          // A list that cannot be read leaves the page as it is: the page still renders.
          const unreadable = await unreadableDestinations(env.DB, env).catch(() => []);
          if (unreadable.length > 0) {
            main.prepend(String(await (<KeyBanner unreadable={unreadable} />).toString()), { html: true });
          }
        },
      })
      .transform(c.res);
  });
