/**
 * One alert: summary, context, and the timeline with each event's payload folded. An unfolded payload
 * scrolls inside a named region that takes focus, so it scrolls from the keyboard too.
 */
import type { Alert, AlertEvent } from "../../alerts/store";
import { formatDuration } from "../../core/build-context";
import { jobLabel } from "../../core/job";
import { BuildLink, ColumnHeads, Fact, Layout } from "../shell/layout";
import { Time } from "../shell/time";

/** The timeline's columns: its headers, and each cell's label when rows stack on a phone. */
const COLUMN = {
  phase: "Phase",
  status: "Status",
  kind: "Kind",
  received: "Received",
  payload: "Payload",
} as const;

export function AlertPage(props: { nonce: string; alert: Alert; events: AlertEvent[] }) {
  const { alert } = props;
  const tests = alert.test_summary;
  const culprits = alert.culprits ?? [];
  return (
    <Layout title={alert.title} nonce={props.nonce}>
      <p>
        <a href="/alerts">← Alerts</a>
      </p>
      <h1>
        <span class={`badge p-${alert.priority}`}>{alert.priority}</span> {alert.title}
      </h1>
      <div class="card">
        <p>{alert.summary}</p>
        <dl class="facts">
          <Fact label="State">
            <span class={`badge s-${alert.state}`}>{alert.state}</span>{" "}
            <span class={`badge k-${alert.kind}`}>{alert.kind}</span>
            {alert.resolved_by_build !== null && ` by build #${alert.resolved_by_build}`}
            {alert.flapping && " · flapping"}
          </Fact>
          <Fact label="Job">
            {alert.job_display_name} <small>({jobLabel(alert.job)})</small>
          </Fact>
          <Fact label="Build">
            <BuildLink url={alert.build_url} number={alert.build_number} /> · {alert.phase} ·{" "}
            {alert.status ?? "no status yet"}
            {alert.duration_ms !== null && ` · ${formatDuration(alert.duration_ms)}`}
          </Fact>
          <Fact label="Source">{alert.source_name} · Jenkins</Fact>
          <Fact label="Branch">{alert.branch ?? "–"}</Fact>
          <Fact label="Commit">{alert.commit ? <code>{alert.commit}</code> : "–"}</Fact>
          <Fact label="Culprits">{culprits.length ? culprits.join(", ") : "–"}</Fact>
          <Fact label="Changed files">{alert.changes_count ?? "–"}</Fact>
          <Fact label="Tests">
            {tests ? (
              <>
                {tests.failed} of {tests.total} failed
                {tests.failed_tests.length > 0 && (
                  <ul>
                    {tests.failed_tests.map((name) => (
                      <li>
                        <code>{name}</code>
                      </li>
                    ))}
                  </ul>
                )}
              </>
            ) : (
              "–"
            )}
          </Fact>
          <Fact label="First seen">
            <Time iso={alert.first_seen_at} />
          </Fact>
          <Fact label="Last seen">
            <Time iso={alert.last_seen_at} />
          </Fact>
        </dl>
      </div>
      <h2>Timeline</h2>
      {alert.purged_events > 0 && (
        <p class="muted" id="purged-events">
          {alert.purged_events === 1 ? "1 earlier event was" : `${alert.purged_events} earlier events were`}{" "}
          purged: older than the retention period.
        </p>
      )}
      <table class="stack timeline">
        <ColumnHeads columns={COLUMN} />
        <tbody>
          {props.events.map((event, index) => (
            <tr>
              <td data-label={COLUMN.phase}>{event.phase}</td>
              <td data-label={COLUMN.status}>{event.status ?? "–"}</td>
              <td data-label={COLUMN.kind}>
                <span class={`badge p-${event.priority}`}>{event.priority}</span> {event.kind}
              </td>
              <td data-label={COLUMN.received}>
                <Time iso={event.received_at} seconds />
              </td>
              <td data-label={COLUMN.payload}>
                <details>
                  <summary>
                    {event.body_format.toUpperCase()}
                    {event.body_truncated && " (log cut)"}
                  </summary>
                  <section
                    class="payload"
                    tabindex={0}
                    aria-label={`Payload of event ${index + 1}, ${event.phase} (${event.body_format.toUpperCase()})`}
                  >
                    <pre>
                      {event.body_format === "xml" ? event.body : JSON.stringify(event.payload, null, 2)}
                    </pre>
                  </section>
                </details>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}
