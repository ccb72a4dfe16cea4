/** The dashboard as a browser calls it, for the dashboard tests: pages, form posts, a session. */
import { env, exports } from "cloudflare:workers";

export const ORIGIN = "https://itoc.example.com";
/** What a browser sends when it navigates. */
export const NAVIGATION = { Accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" };

export function page(path: string, init: RequestInit = {}, cookie = "") {
  const headers = new Headers(init.headers);
  if (cookie) headers.set("Cookie", cookie);
  return exports.default.fetch(new URL(path, ORIGIN), { redirect: "manual", ...init, headers });
}

export function form(path: string, fields: Record<string, string>, cookie = "", origin = ORIGIN) {
  return page(
    path,
    {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: origin },
      body: new URLSearchParams(fields).toString(),
    },
    cookie,
  );
}

/** A session cookie (`name=value`), from signing in with the admin token (and a display name, if given). */
export async function signIn(name?: string): Promise<string> {
  const res = await form("/login", { token: env.ADMIN_TOKEN, next: "/", ...(name ? { name } : {}) });
  return (res.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
}

/** The one-time nonce a fresh sources page puts in its form. */
export async function sourceFormNonce(session: string): Promise<string> {
  const html = await (await page("/sources", {}, session)).text();
  const nonce = /name="form_nonce" value="([^"]+)"/.exec(html)?.[1];
  if (!nonce) throw new Error("the sources page has no form nonce");
  return nonce;
}

/** A complete noise-policy form as the source's policy page posts it, with `fields` changed. */
export const policyForm = (fields: Record<string, string> = {}) => ({
  jobs_include: "",
  jobs_exclude: "",
  branches_include: "",
  branches_exclude: "",
  deploy_jobs: "",
  min_consecutive_failures: "1",
  priority_FAILURE: "HIGH",
  priority_UNSTABLE: "MEDIUM",
  priority_ABORTED: "MEDIUM",
  priority_NOT_BUILT: "MEDIUM",
  priority_MISSED_BUILD: "MEDIUM",
  silent_after: "",
  ...fields,
});
