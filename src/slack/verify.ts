/**
 * What every request from Slack to the app's URLs passes before it is read (the interactivity Request URL
 * and the slash command URL, docs/slack.md): the raw body read once with a size limit (413 above it), 503
 * while SLACK_SIGNING_SECRET is unset, Slack's signature over those exact bytes in constant time with the
 * five-minute window ({@link signatureProblem}: 401), and, once the body names it, the workspace
 * (SLACK_TEAM_ID: 403). Each refusal is problem+json and changes nothing.
 */
import { createMiddleware } from "hono/factory";
import { limitBody, readUtf8 } from "../platform/http/body";
import { problem } from "../platform/http/problem";
import { signatureProblem } from "./signature";

/** Interaction payloads carry the pressed message, a slash command a short form: both far below this. */
export const MAX_SLACK_BODY_BYTES = 64 * 1024;

/** What {@link slackRequest} gives the handler: the raw body, its signature checked. */
export interface SlackBodyVariables {
  slackBody: string;
}

const signedBody = () =>
  createMiddleware<{ Bindings: Env; Variables: SlackBodyVariables }>(async function signedBody(c, next) {
    const secret = c.env.SLACK_SIGNING_SECRET;
    if (!secret) {
      throw problem(503, {
        slug: "slack-not-configured",
        title: "Slack is not configured",
        detail: "Set SLACK_SIGNING_SECRET.",
      });
    }
    // The raw body, read once: the signature covers these exact bytes.
    const { text } = await readUtf8(c.req);
    const why = await signatureProblem(
      secret,
      c.req.header("X-Slack-Request-Timestamp"),
      c.req.header("X-Slack-Signature"),
      text,
    );
    if (why) throw problem(401, { slug: "bad-slack-signature", title: "Bad Slack signature", detail: why });
    c.set("slackBody", text);
    await next();
  });

/**
 * The middleware of a route Slack calls, in order (spread them before the handler): the size limit, then
 * the secret and the signature; the handler reads the raw body (a form) from `c.var.slackBody`.
 */
export const slackRequest = () => [limitBody(MAX_SLACK_BODY_BYTES), signedBody()] as const;

/** 403 unless `teamId` is the workspace this Worker serves (SLACK_TEAM_ID; none set refuses every one). */
export function requireSlackTeam(env: Pick<Env, "SLACK_TEAM_ID">, teamId: string): void {
  if (!env.SLACK_TEAM_ID || teamId !== env.SLACK_TEAM_ID) {
    throw problem(403, {
      slug: "other-workspace",
      title: "Forbidden",
      detail: "This Slack workspace is not the one configured.",
    });
  }
}
