/**
 * `GET/POST /slack/link`: the one-time link an unlinked Slack user is given ({@link createLinkCode}) opens
 * here; the person signed in through Access confirms that the Slack user is them. `POST /slack/unlink`
 * takes one of their own links away. The admin-token session is nobody, so it can do neither. Any role
 * may link; what a linked user may do is their role's business.
 */
import { type Context, Hono } from "hono";
import { linksOf, linkWithCode, pendingLink, unlink } from "../../slack/store";
import { type DashboardEnv, nonce, pageFor } from "../shell/page-context";
import { SlackLinkPage } from "./link-page";

export const slackLinkPages = new Hono<DashboardEnv>();

const GONE = "This link is used, expired or unknown: press the button in Slack again for a new one.";
const NOBODY = "Sign in through Cloudflare Access to link Slack: the admin token is nobody.";

const codeOf = (value: unknown) =>
  typeof value === "string" && /^[A-Za-z0-9_-]{22}$/.test(value) ? value : null;

/** The signed-in person's actor, or null for anyone else (the admin-token session). */
function personOf(c: Context<DashboardEnv>) {
  const actor = c.get("principal")?.actor;
  return actor?.kind === "person" ? actor : null;
}

async function show(
  c: Context<DashboardEnv>,
  code: string | null,
  message: { notice?: string; error?: string } = {},
) {
  const person = personOf(c);
  const [user, links] = await Promise.all([
    code && person ? pendingLink(c.env.DB, code) : null,
    person ? linksOf(c.env.DB, person.name) : [],
  ]);
  const error = message.error ?? (!person ? NOBODY : code && !user ? GONE : undefined);
  const page = (
    <SlackLinkPage
      nonce={nonce(c)}
      code={code ?? ""}
      user={user}
      links={links}
      notice={message.notice}
      error={error}
    />
  );
  return c.html(page, error ? 400 : 200);
}

slackLinkPages.get("/slack/link", pageFor("viewer"), (c) => show(c, codeOf(c.req.query("code"))));

slackLinkPages.post("/slack/link", pageFor("viewer"), async (c) => {
  const code = codeOf((await c.req.parseBody()).code);
  const actor = personOf(c);
  if (!actor) return show(c, null);
  const user = code ? await pendingLink(c.env.DB, code) : null;
  if (!code || !user || !(await linkWithCode(c.env.DB, code, user, actor))) {
    return show(c, null, { error: GONE });
  }
  return show(c, null, { notice: `Slack user ${user.userName} is now linked to ${actor.name}.` });
});

slackLinkPages.post("/slack/unlink", pageFor("viewer"), async (c) => {
  const form = await c.req.parseBody();
  const actor = personOf(c);
  if (!actor) return show(c, null);
  const [team, user] = [form.team, form.user].map((value) => (typeof value === "string" ? value : ""));
  if (!(await unlink(c.env.DB, team ?? "", user ?? "", actor))) {
    return show(c, null, { error: "No such Slack user is linked to you." });
  }
  return show(c, null, { notice: "Slack user unlinked: their next press in Slack asks them to link again." });
});
