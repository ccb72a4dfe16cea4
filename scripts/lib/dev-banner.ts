/**
 * What `npm run dev` prints once the endpoint answers: the Jenkins settings for the dev source, where the
 * dashboard and API are, and the next command to try, all for the address wrangler dev is listening on.
 */
import { DEV_PORT } from "./dev-target.ts";

/** Hosts that mean "every interface": reachable from this machine as localhost. */
const WILDCARD_HOSTS = new Set(["0.0.0.0", "[::]"]);

/** The address to use from this machine: wrangler's "Ready on" origin, with a wildcard host made localhost. */
export function localBase(readyOrigin: string): string {
  const url = new URL(readyOrigin);
  if (WILDCARD_HOSTS.has(url.hostname)) url.hostname = "localhost";
  return url.origin;
}

/** The banner for `wrangler dev` ready on `readyOrigin`, with the dev source's webhook `token`. */
export function devBanner(readyOrigin: string, token: string): string {
  const base = localBase(readyOrigin);
  const { port } = new URL(base);
  const url = new URL("/webhooks/jenkins", base);
  url.searchParams.set("token", token);
  const basic = new URL("/webhooks/jenkins", base);
  basic.username = "jenkins";
  basic.password = token;
  const simulate =
    port === DEV_PORT || port === "" ? "npm run simulate" : `npm run simulate -- --port ${port}`;
  // The session cookie is __Host- and Secure: browsers keep it only over https or on localhost.
  const everyInterface = WILDCARD_HOSTS.has(new URL(readyOrigin).hostname);
  const dashboard = everyInterface
    ? [
        `│ Dashboard: open ${base}/ on this machine (sign in with the ADMIN_TOKEN in .dev.vars);`,
        "│   the sign-in cookie needs https or localhost, so for other machines put an https tunnel in front.",
      ]
    : [`│ Dashboard: ${base}/   (sign in with the ADMIN_TOKEN in .dev.vars)`];
  return `
┌─ ITOC360 Jenkins endpoint is running (Ctrl-C stops it) ─────────────────────
│ Jenkins → job → Configure → Job Notifications → Add Endpoint:
│   Format: JSON   Protocol: HTTP   Event: All Events   URL Source: Plain text
│   URL:    ${url.href}
│   Timeout: 30000   Retries: 0
│ Or keep the token out of URLs and console logs (Basic auth):
│   URL:    ${basic.href}
│ (Jenkins in Docker: use host.docker.internal instead of localhost and start
│  with \`npm run dev -- --ip 0.0.0.0\`.)
│
${dashboard.join("\n")}
│ API:      ${new URL("/api", base).href}   (Authorization: Bearer <ADMIN_TOKEN in .dev.vars>)
│ Try it:   ${simulate}   (in another terminal: one build's four events)
│ Alerts:   curl -H "Authorization: Bearer $(grep ADMIN_TOKEN .dev.vars | cut -d= -f2)" ${new URL("/api/alerts", base).href}
└─────────────────────────────────────────────────────────────────────────────
`;
}
