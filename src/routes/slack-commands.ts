/**
 * `POST /integrations/slack/commands`, the Slack app's slash command URL for `/incidents` (docs/slack.md):
 * a signed command from the configured workspace is answered at once, in the HTTP answer (Slack waits
 * three seconds), with the incidents not yet resolved that the channel's Slack app destinations route,
 * visible only to the person who asked. Reads only: two D1 queries. The buttons in the answer press
 * through the actions endpoint like any message's.
 */
import { Hono } from "hono";
import * as v from "valibot";
import { incidentUrl } from "../notify/attempt";
import type { AppEnv } from "../platform/env";
import { invalidRequest } from "../platform/http/validate";
import { describeIssues } from "../platform/issues";
import { publicUrl } from "../platform/vars";
import { channelIncidents } from "../slack/channel-incidents";
import { SlashCommandSchema } from "../slack/command";
import { incidentsAnswer } from "../slack/incident-list";
import { requireSlackTeam, slackRequest } from "../slack/verify";

export const slackCommands = new Hono<AppEnv>();

slackCommands.post("/", ...slackRequest(), async (c) => {
  const form = Object.fromEntries(new URLSearchParams(c.var.slackBody));
  const read = v.safeParse(SlashCommandSchema, form);
  if (!read.success) throw invalidRequest("json", describeIssues(SlashCommandSchema, read.issues));
  const { team_id, channel_id } = read.output;
  requireSlackTeam(c.env, team_id);
  const listing = await channelIncidents(c.env.DB, channel_id);
  return c.json(
    incidentsAnswer(listing, channel_id, {
      incident: (id) => incidentUrl(c.env, id),
      dashboard: publicUrl(c.env, "/"),
    }),
  );
});
