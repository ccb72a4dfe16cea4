/**
 * The dashboard's 404: a page for a browser that asks for one (`Accept: text/html`) anywhere outside
 * the machine paths (API, webhooks, probes), which keep answering problem+json to everyone. Unknown
 * ids on the dashboard's own pages (`/alerts/99999`) get the page whatever the Accept.
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../platform/env";
import { Layout } from "./layout";
import { type DashboardEnv, nonce } from "./page-context";

/** Paths for programs, never answered with a page. */
const MACHINE_PATHS = ["/api", "/webhooks", "/functions", "/healthz", "/readyz"];

const isMachinePath = (path: string) =>
  MACHINE_PATHS.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));

/**
 * Lets through only what a browser navigates to: outside the machine paths and accepting HTML. Anything
 * else gets the app's own 404 (problem+json) before any page middleware runs.
 */
export const browserNavigation = () =>
  createMiddleware<AppEnv>(async function browserNavigation(c, next) {
    const html = /\btext\/html\b/i.test(c.req.header("Accept") ?? "");
    if (!html || isMachinePath(c.req.path)) return c.notFound();
    await next();
  });

export function NotFoundPage(props: { nonce: string; signedIn: boolean }) {
  return (
    <Layout title="Not found" nonce={props.nonce} signedIn={props.signedIn}>
      <div class="card narrow">
        <h1>Not found</h1>
        <p>There is nothing at this address: the link may be mistyped, or what it named does not exist.</p>
        <p>
          <a href="/">← Needs attention</a>
        </p>
      </div>
    </Layout>
  );
}

/** 404 with the page; `Vary: Accept` since the same address answers programs with problem+json. */
export function notFoundPage(c: Context<DashboardEnv>, signedIn: boolean) {
  return c.html(<NotFoundPage nonce={nonce(c)} signedIn={signedIn} />, 404, { Vary: "Accept" });
}
