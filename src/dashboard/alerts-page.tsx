/**
 * The alerts page: filters in the URL, the rows, the live-update script, and the polite live region
 * it announces new alerts in (the table itself is not live: every refresh would be read out).
 */
import { raw } from "hono/html";
import type { Alert } from "../db/alerts";
import { ALERT_STATES, PRIORITIES } from "../domain/vocabulary";
import type { SourceRecord } from "../sources/record";
import { ALERT_COLUMN, AlertRows } from "./alert-rows";
import { ColumnHeads, Layout } from "./layout";
import { LIVE_SCRIPT } from "./live";

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
  alerts: Alert[];
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
        <Select name="state" label="State" value={filters.state} options={ALERT_STATES.map((s) => [s, s])} />
        <Select
          name="priority"
          label="Priority"
          value={filters.priority}
          options={PRIORITIES.map((p) => [p, p])}
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
      <div id="announcer" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true" />
      <table class="stack">
        <ColumnHeads columns={ALERT_COLUMN} />
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
