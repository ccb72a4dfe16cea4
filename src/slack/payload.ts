/** The part of Slack's `block_actions` interaction payload the actions endpoint reads (unknown keys ignored). */
import * as v from "valibot";
import { HAND_ACTIONS, type HandAction } from "../notify/incident-actions";
import { isListActionsBlock } from "../notify/slack/buttons";

const Text = v.pipe(v.string(), v.maxLength(200));

export const BlockActionsSchema = v.object({
  type: v.literal("block_actions"),
  team: v.object({ id: Text, domain: v.optional(Text, "") }),
  user: v.object({ id: Text, username: v.optional(Text), name: v.optional(Text) }),
  response_url: v.pipe(v.string(), v.maxLength(2048)),
  // Every interactive element of the message posts here, a link button too: only ours are read.
  actions: v.array(v.object({ action_id: Text, block_id: v.optional(Text), value: v.optional(Text) })),
});
export type BlockActions = v.InferOutput<typeof BlockActionsSchema>;

/**
 * The press of an acknowledge or resolve button and its incident, or null for any other element;
 * `inList`: the button was one of a list's (the `/incidents` answer), not an incident message's own.
 */
export function handAction(
  payload: BlockActions,
): { action: HandAction; id: number; inList: boolean } | null {
  for (const { action_id, block_id, value } of payload.actions) {
    if (Object.hasOwn(HAND_ACTIONS, action_id) && value && /^\d{1,15}$/.test(value)) {
      return { action: action_id as HandAction, id: Number(value), inList: isListActionsBlock(block_id) };
    }
  }
  return null;
}
