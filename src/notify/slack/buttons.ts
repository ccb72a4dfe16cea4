/**
 * The Block Kit `actions` block of a Slack message: Acknowledge and Resolve buttons whose `action_id`
 * names the hand action and whose `value` is the incident id, the two things the app's interactivity
 * endpoint (POST /integrations/slack/actions) reads back. Resolve asks first (a `confirm` dialog): it
 * closes the incident for everyone. Only our own words, in `plain_text`.
 */
import { HAND_ACTION_LABELS } from "../content";
import type { HandAction } from "../incident-actions";

const plain = (text: string) => ({ type: "plain_text", text, emoji: true });

/** Resolving by hand cannot be undone from Slack, so it is the one press that asks first. */
const confirmResolve = (id: number) => ({
  title: plain("Resolve the incident?"),
  text: plain(`Incident #${id} will be resolved for everyone.`),
  confirm: plain("Resolve"),
  deny: plain("Cancel"),
  style: "danger",
});

/** The `block_id` of an incident message's own buttons. */
export const MESSAGE_ACTIONS_BLOCK = "incident_actions";

/**
 * The `block_id` of incident `id`'s buttons in a list of incidents (the `/incidents` answer): unique in
 * the list, and telling the actions endpoint that a press came from a list, not from the incident's message.
 */
export const listActionsBlock = (id: number) => `${MESSAGE_ACTIONS_BLOCK}_${id}`;

/** Whether a pressed button's `block_id` is one of a list's ({@link listActionsBlock}). */
export const isListActionsBlock = (blockId: string | undefined) =>
  blockId?.startsWith(`${MESSAGE_ACTIONS_BLOCK}_`) ?? false;

/**
 * The buttons of `actions` on incident `id` ({@link handActionsOf} says which a message offers), or null
 * when there are none (a resolved incident, a test). `blockId` must be unique in its message: a list of
 * incidents gives each its own.
 */
export function actionsBlock(
  id: number,
  actions: readonly HandAction[],
  blockId = MESSAGE_ACTIONS_BLOCK,
): Record<string, unknown> | null {
  if (actions.length === 0) return null;
  return {
    type: "actions",
    block_id: blockId,
    elements: actions.map((action) => ({
      type: "button",
      action_id: action,
      text: plain(HAND_ACTION_LABELS[action]),
      value: String(id),
      ...(action === "acknowledge" ? { style: "primary" } : { confirm: confirmResolve(id) }),
    })),
  };
}
