/**
 * The dashboard's sources pages: the list with its counters, creating one (token shown once, and a
 * reload of that answer creates nothing: ../shell/form-nonce.ts), rotating its token (the new one shown
 * once), revoking.
 */

import { type Context, Hono } from "hono";
import * as v from "valibot";
import { requestActor } from "../../audit/request-actor";
import { lastEventBySource } from "../../jobs/store";
import { storage } from "../../operations/storage";
import { nowMs } from "../../platform/clock";
import { createSource, revokeSource, rotateSource } from "../../sources/actions";
import { GraceSchema } from "../../sources/grace";
import { isSourceId, SourceNameSchema } from "../../sources/model";
import { previousUntil, tokenViews } from "../../sources/rotation";
import { statsBySource } from "../../sources/stats";
import { getSource, listRotations, listSources } from "../../sources/store";
import { FormNonceSchema, isCurrent, newFormNonce, recordUse, usedFor } from "../shell/form-nonce";
import { may } from "../shell/may";
import { type DashboardEnv, nonce, pageFor, signedInPage } from "../shell/page-context";
import { AlreadyCreatedPage } from "./already-created-page";
import { RotatePage, TimeLeft } from "./rotate-pages";
import { RevokePage, SourceCreatedPage, SourcesPage } from "./source-pages";

const STALE_FORM =
  "This form is more than a day old or incomplete, so nothing was created: fill it in again.";

export const sourcePages = new Hono<DashboardEnv>();

async function sourcesPage(c: Context<DashboardEnv>, error?: string) {
  const [sources, lastEvents, stats, rotations, stored] = await Promise.all([
    listSources(c.env.SOURCES),
    lastEventBySource(c.env.DB),
    statsBySource(c.env.DB),
    listRotations(c.env.SOURCES),
    storage(c.env.DB).catch(() => null),
  ]);
  return c.html(
    <SourcesPage
      nonce={nonce(c)}
      sources={sources.reverse()}
      lastEvents={lastEvents}
      stats={stats}
      formNonce={newFormNonce()}
      canManage={may(c, "admin")}
      rotations={rotations}
      storage={stored}
      error={error}
    />,
    error ? 400 : 200,
  );
}

sourcePages.get("/sources", signedInPage, (c) => sourcesPage(c));

sourcePages.post("/sources", pageFor("admin"), async (c) => {
  const form = await c.req.parseBody();
  const formNonce = v.safeParse(FormNonceSchema, form.form_nonce);
  if (!formNonce.success) return sourcesPage(c, STALE_FORM);
  const earlier = await usedFor(c.env.SOURCES, formNonce.output);
  if (earlier !== null) {
    const found = isSourceId(earlier) ? await getSource(c.env.SOURCES, earlier) : null;
    return c.html(<AlreadyCreatedPage nonce={nonce(c)} source={found?.record ?? null} />, 409);
  }
  if (!isCurrent(formNonce.output)) return sourcesPage(c, STALE_FORM);
  const name = v.safeParse(SourceNameSchema, form.name);
  if (!name.success) return sourcesPage(c, `Name: ${name.issues[0]?.message ?? "invalid"}.`);
  const created = await createSource(
    c.env.SOURCES,
    { name: name.output, quiet_lifecycle: form.quiet_lifecycle === "true" },
    new URL(c.req.url).origin,
    { db: c.env.DB, actor: requestActor(c) },
  );
  await recordUse(c.env.SOURCES, formNonce.output, created.record.id);
  return c.html(
    <SourceCreatedPage
      nonce={nonce(c)}
      source={created.record}
      webhookUrl={created.webhookUrl}
      basicUrl={created.basicUrl}
    />,
    201,
  );
});

// An id that is not a source id goes back to the list, like an unknown or revoked one.
sourcePages.get("/sources/:id/revoke", pageFor("admin"), async (c) => {
  const id = c.req.param("id");
  const found = isSourceId(id) ? await getSource(c.env.SOURCES, id) : null;
  if (!found || found.record.disabled) return c.redirect("/sources", 303);
  return c.html(<RevokePage nonce={nonce(c)} source={found.record} />);
});

sourcePages.post("/sources/:id/revoke", pageFor("admin"), async (c) => {
  const id = c.req.param("id");
  if (isSourceId(id)) await revokeSource(c.env.SOURCES, id, { db: c.env.DB, actor: requestActor(c) });
  return c.redirect("/sources", 303);
});

/** The rotation confirmation page; back to the list for an unknown or revoked source. */
async function rotatePage(c: Context<DashboardEnv>, error?: string) {
  const id = c.req.param("id") ?? "";
  const found = isSourceId(id) ? await getSource(c.env.SOURCES, id) : null;
  if (!found || found.record.disabled) return c.redirect("/sources", 303);
  const tokens = tokenViews(found.tokens, false, nowMs());
  return c.html(
    <RotatePage nonce={nonce(c)} source={found.record} tokens={tokens} error={error} />,
    error ? 400 : 200,
  );
}

sourcePages.get("/sources/:id/rotate", pageFor("admin"), (c) => rotatePage(c));

sourcePages.post("/sources/:id/rotate", pageFor("admin"), async (c) => {
  const id = c.req.param("id");
  if (!isSourceId(id)) return c.redirect("/sources", 303);
  const grace = v.safeParse(GraceSchema, (await c.req.parseBody()).grace);
  if (!grace.success) return rotatePage(c, `Grace: ${grace.issues[0]?.message ?? "invalid"}.`);
  const rotated = await rotateSource(c.env.SOURCES, id, grace.output, new URL(c.req.url).origin, {
    db: c.env.DB,
    actor: requestActor(c),
  });
  if (typeof rotated === "string") return c.redirect("/sources", 303);
  const now = nowMs();
  const oldUntil = previousUntil(rotated.tokens, now);
  return c.html(
    <SourceCreatedPage
      nonce={nonce(c)}
      source={rotated.record}
      webhookUrl={rotated.webhookUrl}
      basicUrl={rotated.basicUrl}
      rotated={
        <p id="old-token">
          {oldUntil ? (
            <>
              The old token keeps working for <TimeLeft iso={oldUntil} now={now} />, then stops for good.
            </>
          ) : (
            "The old token no longer works (everywhere within about 90 seconds)."
          )}
        </p>
      }
    />,
  );
});
