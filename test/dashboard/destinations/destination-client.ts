/** The destinations pages as a browser uses them, for the tests beside this file; every page kept for a last look. */
import { api, callWorker } from "../../helpers";
import { ORIGIN, page } from "../dashboard-client";

/** Form fields; a list is sent as that many fields of one name (checkboxes). */
export type Fields = Record<string, string | string[]>;

const encode = (fields: Fields) => {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields))
    for (const one of [value].flat()) body.append(name, one);
  return body.toString();
};

/** Every page these helpers fetched, to check at the end that none shows a URL's path or a secret. */
export const seen: string[] = [];

/** A page's status and HTML (recorded in {@link seen}). */
export async function html(
  res: Response | Promise<Response>,
): Promise<{ status: number; html: string; location: string | null }> {
  const answer = await res;
  const text = await answer.text();
  seen.push(text);
  return { status: answer.status, html: text, location: answer.headers.get("Location") };
}

/**
 * A dashboard page, or a form post with `fields`; `overrides` swaps bindings in (DESTINATIONS_KEY,
 * ALLOW_PRIVATE_DESTINATIONS).
 */
export function visit(path: string, session: string, fields?: Fields, overrides?: Partial<Env>) {
  const headers = new Headers({ Cookie: session });
  if (fields) {
    headers.set("Content-Type", "application/x-www-form-urlencoded");
    headers.set("Origin", ORIGIN);
  }
  return callWorker(
    path,
    { method: fields ? "POST" : "GET", redirect: "manual", headers, body: fields && encode(fields) },
    overrides,
  );
}

/** The one-time nonce a fresh destinations page puts in its forms. */
export async function formNonce(session: string): Promise<string> {
  const { html: text } = await html(page("/destinations", {}, session));
  const nonce = /name="form_nonce" value="([^"]+)"/.exec(text)?.[1];
  if (!nonce) throw new Error("the destinations page has no form nonce");
  return nonce;
}

/** Posts the new-destination form of a fresh page: every incident, opened and resolved, unless `fields` say otherwise. */
export async function createFromPage(session: string, fields: Fields, overrides?: Partial<Env>) {
  const body = { form_nonce: await formNonce(session), on: ["opened", "resolved"], ...fields };
  return html(visit("/destinations", session, body, overrides));
}

/** A destination as /api/destinations answers it (`secret` only in the creation answer of a webhook). */
export interface ApiDestination {
  id: number;
  name: string;
  kind: string;
  url_display: string;
  /** A Slack app destination's channel ID; null for every other. */
  channel: string | null;
  match: Record<string, unknown>;
  on: string[];
  escalate_after: string | null;
  disabled: boolean;
  disabled_at: string | null;
  disabled_reason: string | null;
  secret?: string;
}

/** The destination named `name`, as the API lists it (undefined when there is none). */
export async function destinationNamed(name: string): Promise<ApiDestination | undefined> {
  const res = await api("/api/destinations?limit=100");
  const { destinations } = (await res.json()) as { destinations: ApiDestination[] };
  return destinations.find((d) => d.name === name);
}
