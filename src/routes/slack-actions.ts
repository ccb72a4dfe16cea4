/**
 * `POST /integrations/slack/actions`, the Slack app's interactivity Request URL (docs/slack.md): a signed
 * button press acknowledges or resolves an incident as the person the Slack user is linked to, if their
 * role is responder or higher. The action is one D1 batch, done before the answer (Slack waits three
 * seconds); what the presser sees goes through the interaction's `response_url` after it.
 */
import { Hono } from "hono";
import * as v from "valibot";
import type { Actor } from "../audit/actor";
import { getIncident } from "../incidents/store";
import { contentOf } from "../notify/attempt";
import { asItNowReads } from "../notify/content";
import { actOnIncident } from "../notify/incident-actions";
import { slackMessage } from "../notify/slack/message";
import { roleOf } from "../people/role-store";
import { isAtLeast } from "../people/roles";
import { nowIso } from "../platform/clock";
import type { AppEnv } from "../platform/env";
import { problem } from "../platform/http/problem";
import { publicUrl } from "../platform/vars";
import { BlockActionsSchema, handAction } from "../slack/payload";
import { ephemeral, replacing, respond, responseUrlAllowed } from "../slack/respond";
import { createLinkCode, linkedPerson } from "../slack/store";
import { requireSlackTeam, slackRequest } from "../slack/verify";

/** What an incident that a press left unchanged already was. */
const ALREADY = { acknowledge: "acknowledged or resolved", resolve: "resolved" } as const;
/** What a press that changed the incident did. */
const DONE = { acknowledge: "acknowledged", resolve: "resolved" } as const;

export const slackActions = new Hono<AppEnv>();

slackActions.post("/", ...slackRequest(), async (c) => {
  let json: unknown;
  try {
    json = JSON.parse(new URLSearchParams(c.var.slackBody).get("payload") ?? "");
  } catch {
    json = undefined;
  }
  const read = v.safeParse(BlockActionsSchema, json);
  if (!read.success) {
    throw problem(400, {
      slug: "invalid-payload",
      title: "Invalid payload",
      detail: "Expected a block_actions payload.",
    });
  }
  const { team, user, response_url } = read.output;
  requireSlackTeam(c.env, team.id);
  if (!responseUrlAllowed(c.env, response_url)) {
    throw problem(400, {
      slug: "invalid-payload",
      title: "Invalid payload",
      detail: "response_url is not Slack's.",
    });
  }
  const pressed = handAction(read.output);
  // Another element (the link to the dashboard): nothing to do, and Slack wants its 200.
  if (!pressed) return c.body(null, 200);
  const answer = (message: unknown) => {
    c.executionCtx.waitUntil(respond(response_url, message));
    return c.body(null, 200);
  };
  const person = await linkedPerson(c.env.DB, team.id, user.id);
  const linkPage = publicUrl(c.env, "/slack/link");
  if (!person && !linkPage) {
    return answer(
      ephemeral(
        "Your Slack user is not linked yet, and this endpoint has no PUBLIC_URL to link it with: ask an admin to set it.",
      ),
    );
  }
  if (!person) {
    const code = await createLinkCode(c.env.DB, {
      teamId: team.id,
      teamName: team.domain,
      userId: user.id,
      userName: user.username ?? user.name ?? user.id,
    });
    return answer(
      ephemeral(
        `Link your Slack user to your ITOC360 account first (once, within 15 minutes): ${linkPage}?code=${code}`,
      ),
    );
  }
  const role = await roleOf(c.env.DB, c.env, { name: person, groups: [] });
  if (!isAtLeast(role, "responder")) {
    return answer(
      ephemeral(`Only responders and admins may act on incidents; ${person} is ${role ?? "without a role"}.`),
    );
  }
  const { action, id } = pressed;
  const actor: Actor = {
    kind: "person",
    name: person,
    ip: c.req.header("CF-Connecting-IP") ?? null,
    via: "slack",
  };
  const done = await actOnIncident(c, id, action, { actor, note: null });
  if (!done) return answer(ephemeral(`Incident #${id} does not exist.`));
  if (!done.changed)
    return answer(ephemeral(`Incident #${id} was already ${ALREADY[action]}: nothing changed.`));
  // A press in a list (the `/incidents` answer) leaves the list as it is: replacing it would leave only
  // this incident. The presser is told what happened.
  if (pressed.inList) return answer(ephemeral(`Incident #${id} ${DONE[action]}.`));
  // The channel's message becomes the incident's own message as it reads now: who acted, and only the
  // buttons its new state still allows (none once resolved).
  const found = await getIncident(c.env.DB, id);
  if (!found) return answer(ephemeral(`Incident #${id} does not exist.`));
  const content = await contentOf(c.env, found.incident, "opened", nowIso());
  return answer(replacing(slackMessage(asItNowReads(content))));
});
