/** The dashboard's pages as components; routes.tsx fetches the data and picks one. */

import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { AlertRow, EventRow } from "../db/alerts";
import type { JobRow } from "../db/jobs";
import { formatDuration } from "../domain/context";
import { jobLabel } from "../domain/job";
import type { SourceRecord } from "../sources/record";
import { AlertRows } from "./alert-rows";
import { Age, Layout } from "./layout";
import { LIVE_SCRIPT } from "./live";

export function LoginPage(props: { nonce: string; next: string; error?: string }) {
  return (
    <Layout title="Sign in" nonce={props.nonce} signedIn={false}>
      <div class="card narrow">
        <h1>Sign in</h1>
        <form method="post" action="/login">
          <input type="hidden" name="next" value={props.next} />
          <label>
            Admin token
            <input type="password" name="token" autocomplete="current-password" required autofocus />
          </label>
          {props.error && <p class="error">{props.error}</p>}
          <p>
            <button type="submit">Sign in</button>
          </p>
        </form>
      </div>
    </Layout>
  );
}

export interface AlertsFilters {
  state?: string;
  priority?: string;
  source_id?: string;
  job?: string;
}

function Select(props: { name: string; label: string; value?: string; options: [string, string][] }) {
  return (
    <label>
      {props.label}
      <select name={props.name}>
        <option value="">Any</option>
        {props.options.map(([value, text]) => (
          <option value={value} selected={props.value === value}>
            {text}
          </option>
        ))}
      </select>
    </label>
  );
}

export function AlertsPage(props: {
  nonce: string;
  alerts: AlertRow[];
  filters: AlertsFilters;
  sources: SourceRecord[];
  older: string | null;
}) {
  const { filters } = props;
  const query = new URLSearchParams(Object.entries(filters).filter(([, v]) => v) as [string, string][]);
  return (
    <Layout title="Alerts" nonce={props.nonce}>
      <h1>Alerts</h1>
      <form class="filters" method="get" action="/">
        <Select
          name="state"
          label="State"
          value={filters.state}
          options={["open", "resolved", "stale", "quiet"].map((s) => [s, s])}
        />
        <Select
          name="priority"
          label="Priority"
          value={filters.priority}
          options={["HIGH", "MEDIUM", "LOW"].map((p) => [p, p])}
        />
        <Select
          name="source_id"
          label="Source"
          value={filters.source_id}
          options={props.sources.map((s) => [s.id, s.name])}
        />
        <label>
          Job (full name)
          <input type="text" name="job" value={filters.job ?? ""} placeholder="folder/job" />
        </label>
        <button type="submit">Filter</button>
        {query.size > 0 && <a href="/">Clear</a>}
      </form>
      <table>
        <thead>
          <tr>
            <th>Priority</th>
            <th>Kind · state</th>
            <th>Job</th>
            <th>Build</th>
            <th>Phase · status</th>
            <th class="wide">Source · provider</th>
            <th class="wide">Branch</th>
            <th>Last event</th>
          </tr>
        </thead>
        <tbody id="alerts" data-query={query.toString()}>
          <AlertRows alerts={props.alerts} />
        </tbody>
      </table>
      {props.alerts.length === 0 && (
        <p class="muted" id="no-alerts">
          No alerts yet. They appear here within seconds of a Jenkins event.
        </p>
      )}
      {props.older && (
        <p>
          <a href={`/?${new URLSearchParams([...query, ["cursor", props.older]])}`}>Older alerts →</a>
        </p>
      )}
      <script nonce={props.nonce}>{raw(LIVE_SCRIPT)}</script>
    </Layout>
  );
}

function Fact({ label, children }: { label: string; children: Child }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

export function AlertPage(props: {
  nonce: string;
  alert: AlertRow;
  events: (EventRow & { pretty: string })[];
}) {
  const { alert } = props;
  const tests = alert.test_summary
    ? (JSON.parse(alert.test_summary) as { total: number; failed: number; failed_tests: string[] })
    : null;
  const culprits = alert.culprits ? (JSON.parse(alert.culprits) as string[]) : [];
  return (
    <Layout title={alert.title} nonce={props.nonce}>
      <p>
        <a href="/">← Alerts</a>
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
            {alert.flapping === 1 && " · flapping"}
          </Fact>
          <Fact label="Job">
            {alert.job_display_name} <small>({jobLabel(alert.job)})</small>
          </Fact>
          <Fact label="Build">
            {alert.build_url?.startsWith("http") ? (
              <a href={alert.build_url} rel="noopener noreferrer" target="_blank">
                #{alert.build_number}
              </a>
            ) : (
              `#${alert.build_number}`
            )}{" "}
            · {alert.phase} · {alert.status ?? "no status yet"}
            {alert.duration_ms !== null && ` · ${formatDuration(alert.duration_ms)}`}
          </Fact>
          <Fact label="Source">{alert.source_name} · Jenkins</Fact>
          <Fact label="Branch">{alert.branch ?? "–"}</Fact>
          <Fact label="Commit">{alert.commit_sha ? <code>{alert.commit_sha}</code> : "–"}</Fact>
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
            <Age iso={alert.first_seen_at} />
          </Fact>
          <Fact label="Last seen">
            <Age iso={alert.last_seen_at} />
          </Fact>
        </dl>
      </div>
      <h2>Timeline</h2>
      <table>
        <thead>
          <tr>
            <th>Phase</th>
            <th>Status</th>
            <th>Kind</th>
            <th>Received</th>
            <th>Payload</th>
          </tr>
        </thead>
        <tbody>
          {props.events.map((event) => (
            <tr>
              <td>{event.phase}</td>
              <td>{event.status ?? "–"}</td>
              <td>
                <span class={`badge p-${event.priority}`}>{event.priority}</span> {event.kind}
              </td>
              <td>
                <time datetime={event.received_at}>{event.received_at.replace("T", " ").slice(0, 19)}</time>
              </td>
              <td>
                <details>
                  <summary>
                    {event.body_format.toUpperCase()}
                    {event.body_truncated === 1 && " (log cut)"}
                  </summary>
                  <pre>{event.pretty}</pre>
                </details>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}

export function JobsPage(props: { nonce: string; jobs: JobRow[] }) {
  return (
    <Layout title="Jobs" nonce={props.nonce}>
      <h1>Jobs</h1>
      <table>
        <thead>
          <tr>
            <th>State</th>
            <th>Job</th>
            <th>Last build</th>
            <th>Failing</th>
            <th class="wide">Last success</th>
            <th class="wide">Duration (last · median)</th>
            <th class="wide">Source</th>
          </tr>
        </thead>
        <tbody>
          {props.jobs.map((job) => (
            <tr>
              <td>
                <span class={`badge s-${job.state}`}>{job.state}</span>
                {job.flapping === 1 && (
                  <>
                    {" "}
                    <span class="badge s-stale">flapping</span>
                  </>
                )}
              </td>
              <td>
                <a href={`/?${new URLSearchParams({ job: job.job, source_id: job.source_id })}`}>
                  {job.display_name}
                </a>
                <br />
                <small>{jobLabel(job.job)}</small>
              </td>
              <td>
                {job.last_build !== null ? `#${job.last_build}` : "–"} <small>{job.last_status ?? ""}</small>
              </td>
              <td>
                {job.failing_streak > 0 ? `${job.failing_streak} since #${job.failing_since_build}` : "–"}
              </td>
              <td class="wide">{job.last_success_build !== null ? `#${job.last_success_build}` : "never"}</td>
              <td class="wide">
                {job.last_duration_ms !== null ? formatDuration(job.last_duration_ms) : "–"} ·{" "}
                {job.median_duration_ms !== null ? formatDuration(job.median_duration_ms) : "–"}
              </td>
              <td class="wide">{job.source_name}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.jobs.length === 0 && <p class="muted">No jobs have reported yet.</p>}
    </Layout>
  );
}
