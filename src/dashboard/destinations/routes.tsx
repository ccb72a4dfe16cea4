/**
 * The dashboard's destinations pages, through the same actions as /api/destinations: the list, creating
 * one (a webhook's signing secret shown once; a reload of that answer creates nothing: the form's
 * one-time nonce, as for sources), sending a test, pausing and resuming, deleting behind a confirmation.
 * Without a usable DESTINATIONS_KEY the list says so and only deleting works.
 */

import { type Context, Hono } from "hono";
import * as v from "valibot";
import { requestActor } from "../../audit/request-actor";
import { DestinationKindSchema } from "../../core/vocabulary";
import { changeDestination, createDestination } from "../../notify/destinations/actions";
import { recentDeliveries } from "../../notify/destinations/deliveries";
import { checkNewDestination, TOO_MANY_DESTINATIONS } from "../../notify/destinations/intake";
import { type Keyring, loadKeyring } from "../../notify/destinations/keyring";
import { unreadableReason } from "../../notify/destinations/readable";
import { DestinationIdParamSchema, NewDestinationSchema } from "../../notify/destinations/schema";
import { getSealedDestination, listSealedDestinations } from "../../notify/destinations/store";
import { sendTestMessage } from "../../notify/destinations/test-send";
import { allowsPrivateDestinations } from "../../notify/destinations/url";
import { deleteDestination } from "../../notify/destinations/writes";
import { nowIso } from "../../platform/clock";
import { describeIssues } from "../../platform/issues";
import { listSources } from "../../sources/store";
import { FormNonceSchema, isCurrent, newFormNonce, recordUse, usedFor } from "../shell/form-nonce";
import { type DashboardEnv, nonce, pageFor } from "../shell/page-context";
import { AlreadyCreatedPage, DeletePage, DestinationCreatedPage } from "./answer-pages";
import { type DestinationFormFields, destinationInput, fieldsFromForm, formError } from "./destination-form";
import { DestinationsPage, type TestNotice } from "./destinations-page";

const STALE_FORM =
  "This form is more than a day old or incomplete, so nothing was created: fill it in again.";
/** What a form nonce's record holds for a destination (sources record their id). */
const NONCE_RECORD = /^destination:(\d{1,15})$/;

export const destinationPages = new Hono<DashboardEnv>();

/** Every destinations page and form is an admin's, as /api/destinations is. */
const adminPage = pageFor("admin");

/** A refused form: what was typed, why, and the field it names (`path`, as the API names it). */
type Refused = { fields: DestinationFormFields; error: string; path?: string };

/** The list (with a test's outcome or a refused form, answered with `status`). */
async function listPage(
  c: Context<DashboardEnv>,
  status: 200 | 400 | 409 | 503,
  extra: { test?: TestNotice; refused?: Refused } = {},
) {
  const keyring = await loadKeyring(c.env.DESTINATIONS_KEY);
  const [rows, sources] = await Promise.all([listSealedDestinations(c.env.DB), listSources(c.env.SOURCES)]);
  const deliveries = await recentDeliveries(
    c.env.DB,
    rows.map((row) => row.id),
  );
  const views = await Promise.all(
    rows.map(async (row) => {
      const { url: _url, secret: _secret, ...destination } = row;
      return {
        destination,
        unreadable: await unreadableReason(keyring, row),
        deliveries: deliveries.get(row.id) ?? [],
      };
    }),
  );
  const kind = v.safeParse(DestinationKindSchema, extra.refused?.fields.kind);
  return c.html(
    <DestinationsPage
      nonce={nonce(c)}
      destinations={views}
      keyUsable={keyring !== undefined}
      sources={sources.filter((source) => !source.disabled)}
      formNonce={newFormNonce()}
      test={extra.test}
      refused={extra.refused && { ...extra.refused, kind: kind.success ? kind.output : "webhook" }}
    />,
    status,
  );
}

destinationPages.get("/destinations", adminPage, (c) => listPage(c, 200));

destinationPages.post("/destinations", adminPage, async (c) => {
  const posted = fieldsFromForm(await c.req.parseBody({ all: true }));
  const { fields, secrets } = posted;
  const formNonce = v.safeParse(FormNonceSchema, posted.formNonce);
  if (!formNonce.success) return listPage(c, 400, { refused: { fields, error: STALE_FORM } });
  const earlier = NONCE_RECORD.exec((await usedFor(c.env.SOURCES, formNonce.output)) ?? "");
  if (earlier) {
    const found = await getSealedDestination(c.env.DB, Number(earlier[1]));
    return c.html(<AlreadyCreatedPage nonce={nonce(c)} destination={found} />, 409);
  }
  if (!isCurrent(formNonce.output)) return listPage(c, 400, { refused: { fields, error: STALE_FORM } });
  const keyring = await loadKeyring(c.env.DESTINATIONS_KEY);
  if (!keyring) return listPage(c, 503);
  const parsed = v.safeParse(NewDestinationSchema, destinationInput(fields, secrets));
  const [problem] = parsed.success ? [] : describeIssues(NewDestinationSchema, parsed.issues);
  const checked = parsed.success
    ? checkNewDestination(parsed.output, allowsPrivateDestinations(c.env))
    : { invalid: problem ?? { path: "", message: "invalid" } };
  if ("invalid" in checked)
    return listPage(c, 400, {
      refused: { fields, error: formError(checked.invalid), path: checked.invalid.path },
    });
  const created = await createDestination(c.env.DB, keyring, checked.ok, nowIso(), requestActor(c));
  if (created === "too-many") return listPage(c, 409, { refused: { fields, error: TOO_MANY_DESTINATIONS } });
  await recordUse(c.env.SOURCES, formNonce.output, `destination:${created.destination.id}`);
  return c.html(
    <DestinationCreatedPage nonce={nonce(c)} destination={created.destination} secret={created.secret} />,
    201,
  );
});

/** The destination id of the path, or null for one that is not an id. */
const idOf = (c: Context<DashboardEnv>) => {
  const parsed = v.safeParse(DestinationIdParamSchema, { id: c.req.param("id") });
  return parsed.success ? parsed.output.id : null;
};

/** Runs `action` with the key, or answers the list (which says the key is unusable) with 503. */
async function withKey(
  c: Context<DashboardEnv>,
  action: (id: number, keyring: Keyring) => Promise<Response>,
) {
  const id = idOf(c);
  if (id === null) return c.redirect("/destinations", 303);
  const keyring = await loadKeyring(c.env.DESTINATIONS_KEY);
  return keyring ? action(id, keyring) : listPage(c, 503);
}

destinationPages.post("/destinations/:id/test", adminPage, (c) =>
  withKey(c, async (id, keyring) => {
    const outcome = await sendTestMessage(c.env.DB, keyring, id, c.env, {
      origin: new URL(c.req.url).origin,
      actor: requestActor(c),
    });
    // Missing or unreadable: the list shows which, as it does for every destination.
    if (!("sent" in outcome)) return c.redirect("/destinations", 303);
    return listPage(c, 200, { test: outcome });
  }),
);

for (const [path, disabled] of [
  ["pause", true],
  ["resume", false],
] as const) {
  destinationPages.post(`/destinations/:id/${path}`, adminPage, (c) =>
    withKey(c, async (id, keyring) => {
      // Missing or unreadable: back to the list, which shows which.
      await changeDestination(c.env.DB, keyring, id, { disabled }, nowIso(), requestActor(c));
      return c.redirect("/destinations", 303);
    }),
  );
}

destinationPages.get("/destinations/:id/delete", adminPage, async (c) => {
  const id = idOf(c);
  const found = id === null ? null : await getSealedDestination(c.env.DB, id);
  if (!found) return c.redirect("/destinations", 303);
  return c.html(<DeletePage nonce={nonce(c)} destination={found} />);
});

destinationPages.post("/destinations/:id/delete", adminPage, async (c) => {
  const id = idOf(c);
  if (id !== null) await deleteDestination(c.env.DB, id, requestActor(c));
  return c.redirect("/destinations", 303);
});
