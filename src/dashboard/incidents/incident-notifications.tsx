/**
 * The incident page's notifications: what was owed to which destination, how many attempts it took and
 * how the last one went (one whose destination DESTINATIONS_KEY cannot read says it waits for the key),
 * with "Send again" for one that was delivered or given up (the same
 * webhook-id: a receiver that already processed it may drop it).
 */

import { waitsForKey } from "../../notify/destinations/key-wait";
import type { ListedNotification } from "../../notify/store";
import { ColumnHeads } from "../shell/layout";
import { Time } from "../shell/time";

const COLUMN = {
  destination: "Destination",
  event: "Event",
  state: "State",
  attempts: "Attempts",
  last: "Last answer",
  when: "Delivered or given up",
  action: "",
} as const;

/** A notification's state in words (also a destination's recent deliveries). */
export const STATE_WORDS: Record<ListedNotification["state"], string> = {
  pending: "sending",
  waiting: "held",
  delivered: "delivered",
  failed: "given up",
  skipped: "not sent",
};

/** `canAct`: whether the reader may send again (responder and up); viewers get no buttons. */
export function IncidentNotifications(props: {
  incidentId: number;
  notifications: ListedNotification[];
  canAct: boolean;
}) {
  if (props.notifications.length === 0) {
    return <p class="muted">No notifications: no destination routes this incident (or it was silenced).</p>;
  }
  return (
    <table class="stack">
      <ColumnHeads columns={COLUMN} />
      <tbody id="incident-notifications">
        {props.notifications.map((n) => (
          <tr>
            <td data-label={COLUMN.destination}>
              {n.destination_name ?? `deleted destination #${n.destination_id}`}
              {n.destination_kind && <small> ({n.destination_kind})</small>}
            </td>
            <td data-label={COLUMN.event}>{n.event}</td>
            <td data-label={COLUMN.state}>
              {waitsForKey(n) ? <strong>waiting for DESTINATIONS_KEY</strong> : STATE_WORDS[n.state]}
            </td>
            <td data-label={COLUMN.attempts}>{n.attempts}</td>
            <td data-label={COLUMN.last}>
              {n.last_status ?? ""} {n.last_error && <small>{n.last_error}</small>}
            </td>
            <td data-label={COLUMN.when}>
              {n.delivered_at ? (
                <Time iso={n.delivered_at} />
              ) : n.gave_up_at ? (
                <Time iso={n.gave_up_at} />
              ) : (
                "–"
              )}
            </td>
            <td data-label={COLUMN.action}>
              {props.canAct && (n.state === "delivered" || n.state === "failed" || n.state === "skipped") && (
                <form
                  method="post"
                  action={`/incidents/${props.incidentId}/notifications/${n.id}/send`}
                  class="inline"
                >
                  <button type="submit" class="secondary">
                    Send again
                  </button>
                </form>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
