/** The dashboard's dead-letter pages: the list, replaying one, discarding one after confirmation. */
import { type Context, Hono } from "hono";
import * as v from "valibot";
import { requestActor } from "../../audit/request-actor";
import { replayDeadLetter } from "../../dead-letters/replay";
import { discardDeadLetter, getDeadLetter, listDeadLetters } from "../../dead-letters/store";
import { CursorSchema, page as pageOf } from "../../platform/http/paging";
import { may } from "../shell/may";
import { type DashboardEnv, nonce, pageFor, signedInPage } from "../shell/page-context";
import { DeadLettersPage, DiscardPage } from "./dead-letters-page";

const PAGE_SIZE = 20;
const ID = ":id{[0-9]{1,15}}";

/** A bad value is simply not applied. */
const PageQuerySchema = v.object({
  cursor: v.fallback(v.optional(CursorSchema), undefined),
  done: v.fallback(v.optional(v.picklist(["replayed", "discarded"])), undefined),
});

export const deadLetterPages = new Hono<DashboardEnv>();

async function listPage(c: Context<DashboardEnv>, error?: { status: 409 | 503; message: string }) {
  const query = v.parse(PageQuerySchema, c.req.query());
  const rows = await listDeadLetters(c.env.DB, {}, PAGE_SIZE + 1, query.cursor);
  const { items, next_cursor } = pageOf(rows, PAGE_SIZE);
  return c.html(
    <DeadLettersPage
      nonce={nonce(c)}
      letters={items}
      older={next_cursor}
      notice={error ? undefined : query.done}
      error={error?.message}
      canAct={may(c, "admin")}
    />,
    error?.status ?? 200,
  );
}

deadLetterPages.get("/dead-letters", signedInPage, (c) => listPage(c));

// An unknown id (already replayed or discarded) goes back to the list.
deadLetterPages.post(`/dead-letters/${ID}/replay`, pageFor("admin"), async (c) => {
  let outcome: Awaited<ReturnType<typeof replayDeadLetter>>;
  try {
    outcome = await replayDeadLetter(c.env, Number(c.req.param("id")), requestActor(c));
  } catch {
    return listPage(c, {
      status: 503,
      message: "The queue did not take the message; it is kept. Try again shortly.",
    });
  }
  if (outcome.replayed) return c.redirect("/dead-letters?done=replayed", 303);
  if (outcome.why === "no-queue") {
    return listPage(c, {
      status: 409,
      message: "This Worker has no producer for the queue that message died on.",
    });
  }
  return c.redirect("/dead-letters", 303);
});

deadLetterPages.get(`/dead-letters/${ID}/discard`, pageFor("admin"), async (c) => {
  const letter = await getDeadLetter(c.env.DB, Number(c.req.param("id")));
  if (!letter) return c.redirect("/dead-letters", 303);
  return c.html(<DiscardPage nonce={nonce(c)} letter={letter} />);
});

deadLetterPages.post(`/dead-letters/${ID}/discard`, pageFor("admin"), async (c) => {
  const gone = await discardDeadLetter(c.env.DB, Number(c.req.param("id")), requestActor(c));
  return c.redirect(gone ? "/dead-letters?done=discarded" : "/dead-letters", 303);
});
