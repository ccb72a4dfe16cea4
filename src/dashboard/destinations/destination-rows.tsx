/**
 * One destination in the list: kind, name and host (never more of its URL) or a Slack app's channel, its
 * state (healthy, paused, disabled by its receiver and why, unreadable with DESTINATIONS_KEY and why), its
 * rules, its recent deliveries, and what can be done with it.
 */

import { PAUSED_REASON } from "../../notify/destinations/actions";
import type { Delivery } from "../../notify/destinations/deliveries";
import { waitsForKey } from "../../notify/destinations/key-wait";
import { formatDuration } from "../../notify/destinations/schema";
import type { Destination } from "../../notify/destinations/store";
import { STATE_WORDS } from "../incidents/incident-notifications";
import { Time } from "../shell/time";
import { addressWords } from "./address-words";

/** A destination as the list shows it. */
export interface DestinationView {
  destination: Destination;
  /** Why DESTINATIONS_KEY cannot read it; null when it can. */
  unreadable: string | null;
  deliveries: Delivery[];
}

export const COLUMN = {
  destination: "Destination",
  state: "State",
  rules: "Rules",
  deliveries: "Recent deliveries",
  actions: "Actions",
} as const;

function State({ view }: { view: DestinationView }) {
  const { disabled_at, disabled_reason } = view.destination;
  return (
    <>
      {view.unreadable !== null && (
        <p>
          <span class="badge s-open">unreadable</span> <small>{view.unreadable}</small>
        </p>
      )}
      {disabled_at === null ? (
        view.unreadable === null && <span class="badge s-passing">healthy</span>
      ) : disabled_reason === PAUSED_REASON ? (
        <>
          <span class="badge s-quiet">paused</span>{" "}
          <small>
            since <Time iso={disabled_at} />
          </small>
        </>
      ) : (
        <>
          <span class="badge s-open">disabled</span>{" "}
          <small>
            by its receiver ({disabled_reason}) <Time iso={disabled_at} />
          </small>
        </>
      )}
    </>
  );
}

/** Its routing rules and events in words: "job acme/** · priority ≥ HIGH", "on opened, resolved". */
export function rulesOf(destination: Destination): string[] {
  const { source_id, job, branch, min_priority, kinds } = destination.match;
  const rules = [
    source_id && `source ${source_id}`,
    job && `job ${job}`,
    branch && `branch ${branch}`,
    min_priority && `priority ≥ ${min_priority}`,
    kinds && `kinds ${kinds.join(", ").replaceAll("_", " ")}`,
  ].filter((rule): rule is string => Boolean(rule));
  const escalates = destination.escalate_after_ms;
  return [
    rules.length > 0 ? rules.join(" · ") : "every incident",
    `on ${destination.on.join(", ")}${escalates === null ? "" : ` (escalated after ${formatDuration(escalates)})`}`,
  ];
}

function Deliveries({ deliveries }: { deliveries: Delivery[] }) {
  if (deliveries.length === 0) return <span class="muted">none yet</span>;
  return (
    <ul class="deliveries">
      {deliveries.map((d) => (
        <li>
          <a href={`/incidents/${d.incident_id}`}>#{d.incident_id}</a> {d.event}:{" "}
          {waitsForKey(d) ? "waiting for DESTINATIONS_KEY" : STATE_WORDS[d.state]}
          {d.last_status !== null && ` ${d.last_status}`}
          {d.attempts > 1 && ` after ${d.attempts} attempts`}{" "}
          <Time iso={d.delivered_at ?? d.gave_up_at ?? d.created_at} />
          {d.last_error && !waitsForKey(d) && (
            <>
              {" "}
              <small>{d.last_error}</small>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

export function DestinationRow({ view }: { view: DestinationView }) {
  const { destination: d, unreadable } = view;
  const words = addressWords(d);
  const act = (path: string) => `/destinations/${d.id}/${path}`;
  return (
    <tr id={`destination-${d.id}`}>
      <td data-label={COLUMN.destination}>
        {d.name}
        <br />
        <small>
          {words.title} · {words.where}
        </small>
      </td>
      <td data-label={COLUMN.state}>
        <State view={view} />
      </td>
      <td data-label={COLUMN.rules}>
        {rulesOf(d).map((line) => (
          <div>{line}</div>
        ))}
      </td>
      <td data-label={COLUMN.deliveries}>
        <Deliveries deliveries={view.deliveries} />
      </td>
      <td data-label={COLUMN.actions}>
        {unreadable === null && (
          <>
            <form method="post" action={act("test")} class="inline">
              <button type="submit" class="secondary">
                Send a test
              </button>
            </form>
            <form method="post" action={act(d.disabled_at === null ? "pause" : "resume")} class="inline">
              <button type="submit" class="secondary">
                {d.disabled_at === null ? "Pause" : "Resume"}
              </button>
            </form>
          </>
        )}
        <a href={act("delete")}>Delete…</a>
      </td>
    </tr>
  );
}
