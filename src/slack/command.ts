/**
 * The form Slack posts for a slash command (api.slack.com/interactivity/slash-commands): the part the
 * `/incidents` endpoint reads. Unknown keys are ignored; the IDs are Slack's (upper-case letters and
 * digits), so an answer may name the channel without escaping it.
 */
import * as v from "valibot";

const SlackIdSchema = v.pipe(
  v.string("expected a Slack ID"),
  v.regex(/^[A-Z0-9]{1,40}$/, "expected a Slack ID (upper-case letters and digits)"),
);

export const SlashCommandSchema = v.object({
  team_id: SlackIdSchema,
  channel_id: SlackIdSchema,
  user_id: SlackIdSchema,
  command: v.pipe(v.string("expected a command"), v.maxLength(100, "at most 100 characters")),
  text: v.optional(v.pipe(v.string(), v.maxLength(4000, "at most 4000 characters")), ""),
});
export type SlashCommand = v.InferOutput<typeof SlashCommandSchema>;
