/** Alert rows: rendered into the alerts page and, for live updates, as a fragment on their own. */
import type { Alert } from "../db/alerts";
import { jobLabel } from "../domain/job";
import { Age, BuildLink } from "./layout";

export function AlertRows({ alerts }: { alerts: Alert[] }) {
  return (
    <>
      {alerts.map((alert) => (
        <tr data-id={String(alert.id)} id={`alert-${alert.id}`}>
          <td>
            <span class={`badge p-${alert.priority}`}>{alert.priority}</span>
          </td>
          <td>
            <span class={`badge k-${alert.kind}`}>{alert.kind}</span>{" "}
            <span class={`badge s-${alert.state}`}>{alert.state}</span>
            {alert.flapping && <span class="badge s-stale">flapping</span>}
          </td>
          <td>
            <a href={`/alerts/${alert.id}`}>{alert.job_display_name}</a>
            <br />
            <small>{jobLabel(alert.job)}</small>
          </td>
          <td>
            <BuildLink url={alert.build_url} number={alert.build_number} />
          </td>
          <td>
            {alert.phase}
            <br />
            <small>{alert.status ?? "no status yet"}</small>
          </td>
          <td class="wide">
            {alert.source_name}
            <br />
            <small>Jenkins</small>
          </td>
          <td class="wide">{alert.branch ?? <span class="muted">–</span>}</td>
          <td>
            <Age iso={alert.last_seen_at} />
          </td>
        </tr>
      ))}
    </>
  );
}
