/**
 * The alerts page (`/alerts`): filters in the URL, the rows, the live-update script, and the polite
 * live region it announces new alerts in (the table itself is not live: every refresh would be read out).
 */
import { raw } from "hono/html";
import type { Alert } from "../../alerts/store";
import { ALERT_STATES, PRIORITIES } from "../../core/vocabulary";
import type { SourceRecord } from "../../sources/model";
import {
  type FilterPhrases,
  JobField,
  JobMatchesNote,
  type JobSearch,
  nothingMatched,
  queryOf,
  Select,
} from "../shell/filters";
import { ColumnHeads, Layout } from "../shell/layout";
import { LIVE_SCRIPT, LiveBody } from "../shell/live";
import { ALERT_COLUMN, AlertRows } from "./alert-rows";

export type AlertsFilters = {
  state?: string;
  priority?: string;
  source_id?: string;
  /** A job search: a substring of the displayed job path. */
  job?: string;
};

const phrases = (sources: SourceRecord[]): FilterPhrases => ({
  job: (text) => `for job “${text}”`,
  state: (state) => `in state ${state}`,
  priority: (priority) => `with priority ${priority}`,
  source_id: (id) => `from source “${sources.find((source) => source.id === id)?.name ?? id}”`,
});

export function AlertsPage(props: {
  nonce: string;
  alerts: Alert[];
  filters: AlertsFilters;
  search?: JobSearch;
  sources: SourceRecord[];
  /** Whether this is an older page (reached through a cursor). */
  older: boolean;
  next: string | null;
}) {
  const { filters } = props;
  const query = queryOf({ ...filters });
  const empty =
    query.size > 0
      ? nothingMatched(props.older ? "older alerts" : "alerts", filters, phrases(props.sources), props.search)
      : props.older
        ? "No older alerts."
        : "No alerts yet. They appear here within seconds of a Jenkins event.";
  return (
    <Layout title="Alerts" nonce={props.nonce}>
      <h1>Alerts</h1>
      <p class="muted">Every build that alerted, newest first. Incidents group them by job.</p>
      <form class="filters" method="get" action="/alerts">
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
        <JobField value={filters.job} />
        <button type="submit">Filter</button>
        {query.size > 0 && <a href="/alerts">Clear</a>}
      </form>
      <JobMatchesNote search={props.search} noun="alerts" />
      <div id="announcer" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true" />
      <table class="stack">
        <ColumnHeads columns={ALERT_COLUMN} />
        <LiveBody id="alerts" from="/alerts/rows" mode="newer" query={query} noun="alert" empty="no-alerts">
          <AlertRows alerts={props.alerts} />
        </LiveBody>
      </table>
      <p class="muted" id="no-alerts" hidden={props.alerts.length > 0}>
        {empty}
      </p>
      {props.next && (
        <p>
          <a href={`/alerts?${new URLSearchParams([...query, ["cursor", props.next]])}`}>Older alerts →</a>
        </p>
      )}
      {!props.older && <script nonce={props.nonce}>{raw(LIVE_SCRIPT)}</script>}
    </Layout>
  );
}
