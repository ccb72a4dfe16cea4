/**
 * Alert rows: rendered into the alerts page and, for live updates, as a fragment on their own. Each
 * row carries what the live script announces when it is new (`data-announce`), and each cell its
 * column's name (`data-label`, shown when rows stack on a phone).
 */
import type { Alert } from "../../alerts/store";
import { jobLabel } from "../../core/job";
import { BuildLink } from "../shell/layout";
import { Time } from "../shell/time";

/** The alerts table's columns: its headers, and each cell's label when rows stack. */
export const ALERT_COLUMN = {
  priority: "Priority",
  kindState: "Kind · state",
  job: "Job",
  build: "Build",
  phaseStatus: "Phase · status",
  source: "Source · provider",
  branch: "Branch",
  lastEvent: "Last event",
} as const;

/** "payments-api #131 FAILURE, HIGH": how a new alert is announced. */
export const announcement = (alert: Alert) =>
  `${alert.job_display_name} #${alert.build_number} ${alert.status ?? alert.phase}, ${alert.priority}`;

export function AlertRows({ alerts }: { alerts: Alert[] }) {
  return (
    <>
      {alerts.map((alert) => (
        <tr data-id={String(alert.id)} id={`alert-${alert.id}`} data-announce={announcement(alert)}>
          <td data-label={ALERT_COLUMN.priority}>
            <span class={`badge p-${alert.priority}`}>{alert.priority}</span>
          </td>
          <td data-label={ALERT_COLUMN.kindState}>
            <span class={`badge k-${alert.kind}`}>{alert.kind}</span>{" "}
            <span class={`badge s-${alert.state}`}>{alert.state}</span>
            {alert.flapping && <span class="badge s-stale">flapping</span>}
          </td>
          <td data-label={ALERT_COLUMN.job}>
            <a href={`/alerts/${alert.id}`}>{alert.job_display_name}</a>
            <br />
            <small>{jobLabel(alert.job)}</small>
          </td>
          <td data-label={ALERT_COLUMN.build}>
            <BuildLink url={alert.build_url} number={alert.build_number} />
          </td>
          <td data-label={ALERT_COLUMN.phaseStatus}>
            {alert.phase}
            <br />
            <small>{alert.status ?? "no status yet"}</small>
          </td>
          <td data-label={ALERT_COLUMN.source}>
            {alert.source_name}
            <br />
            <small>Jenkins</small>
          </td>
          <td data-label={ALERT_COLUMN.branch}>{alert.branch ?? <span class="muted">–</span>}</td>
          <td data-label={ALERT_COLUMN.lastEvent}>
            <Time iso={alert.last_seen_at} age />
          </td>
        </tr>
      ))}
    </>
  );
}
