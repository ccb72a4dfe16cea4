/**
 * The dashboard's silences page: the lists, creating one (then back to the list: reloading the answer
 * posts nothing again), ending one now. Both posts are CSRF-checked and session-bound (signedInPage).
 */

import { type Context, Hono } from "hono";
import * as v from "valibot";
import { requestActor } from "../../audit/request-actor";
import { sweepSoon } from "../../notify/sweep";
import { now, nowMs } from "../../platform/clock";
import { CursorSchema, MAX_LIMIT, page as pageOf } from "../../platform/http/paging";
import { createSilence, endSilenceNow } from "../../silences/actions";
import { type SilenceStatus, silenceView } from "../../silences/rules";
import { listSilences, MAX_SILENCES_IN_FORCE } from "../../silences/store";
import { listSources } from "../../sources/store";
import { may } from "../shell/may";
import { type DashboardEnv, nonce, pageFor, signedInPage } from "../shell/page-context";
import { readSilenceForm, type SilenceFormValues } from "./silence-form";
import { SilencesPage } from "./silences-page";

const ENDED_PAGE = 20;
const ID = ":id{[0-9]{1,15}}";

/** A bad value is simply not applied. */
const PageQuerySchema = v.object({
  ended: v.fallback(v.optional(CursorSchema), undefined),
  done: v.fallback(v.optional(v.picklist(["created", "ended"])), undefined),
});

export const silencePages = new Hono<DashboardEnv>();

async function listPage(c: Context<DashboardEnv>, refused?: { error: string; values: SilenceFormValues }) {
  const query = v.parse(PageQuerySchema, c.req.query());
  const now = new Date(nowMs());
  const newest = (status: SilenceStatus, limit: number, before?: number) =>
    listSilences(c.env.DB, status, now, limit, before);
  // Active and upcoming ones are few (they end); ended ones pile up, so they come a page at a time.
  const [active, upcoming, ended, sources] = await Promise.all([
    newest("active", MAX_LIMIT + 1),
    newest("upcoming", MAX_LIMIT + 1),
    newest("ended", ENDED_PAGE + 1, query.ended),
    listSources(c.env.SOURCES),
  ]);
  const endedPage = pageOf(ended, ENDED_PAGE);
  const view = (rows: typeof active) => rows.slice(0, MAX_LIMIT).map((silence) => silenceView(silence, now));
  return c.html(
    <SilencesPage
      nonce={nonce(c)}
      active={view(active)}
      upcoming={view(upcoming)}
      ended={view(endedPage.items)}
      olderEnded={endedPage.next_cursor}
      more={active.length > MAX_LIMIT || upcoming.length > MAX_LIMIT}
      sources={sources}
      notice={refused ? undefined : query.done}
      error={refused?.error}
      values={refused?.values}
      canAct={may(c, "responder")}
    />,
    refused ? 400 : 200,
  );
}

silencePages.get("/silences", signedInPage, (c) => listPage(c));

silencePages.post("/silences", pageFor("responder"), async (c) => {
  const values = (await c.req.parseBody({ all: true })) as SilenceFormValues;
  const read = readSilenceForm(values);
  if ("error" in read) return listPage(c, { error: read.error, values });
  const created = await createSilence(c.env, read.silence, now(), requestActor(c));
  sweepSoon(c.env, c.executionCtx);
  if (created === "no-such-source") return listPage(c, { error: "Source: no such source.", values });
  if (created === "too-many") {
    const error = `${MAX_SILENCES_IN_FORCE} silences are active or upcoming already: end one first.`;
    return listPage(c, { error, values });
  }
  return c.redirect("/silences?done=created", 303);
});

// An unknown id goes back to the list; one already ended stays as it ended.
silencePages.post(`/silences/${ID}/end`, pageFor("responder"), async (c) => {
  const ended = await endSilenceNow(c.env, Number(c.req.param("id")), now(), requestActor(c));
  sweepSoon(c.env, c.executionCtx);
  return c.redirect(ended ? "/silences?done=ended" : "/silences", 303);
});
