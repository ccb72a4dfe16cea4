/** The incidents list (`/incidents`): every state, filters in the URL, newest first, paged. */

import { INCIDENT_KINDS, INCIDENT_STATES, PRIORITIES } from "../../core/vocabulary";
import type { Incident } from "../../incidents/store";
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
import { INCIDENT_COLUMN, IncidentRows } from "./incident-rows";
import type { Strips } from "./incident-strip";
import { KIND_LABEL } from "./incident-words";

export type IncidentsFilters = {
  state?: string;
  kind?: string;
  priority?: string;
  source_id?: string;
  /** A job search: a substring of the displayed job path. */
  job?: string;
};

const phrases = (sources: SourceRecord[]): FilterPhrases => ({
  job: (text) => `for job “${text}”`,
  kind: (kind) => `of kind ${KIND_LABEL[kind as keyof typeof KIND_LABEL] ?? kind}`,
  state: (state) => `in state ${state}`,
  priority: (priority) => `with priority ${priority}`,
  source_id: (id) => `from source “${sources.find((source) => source.id === id)?.name ?? id}”`,
});

export function IncidentsPage(props: {
  nonce: string;
  incidents: Incident[];
  filters: IncidentsFilters;
  search?: JobSearch;
  sources: SourceRecord[];
  /** This page's own address, where its rows' actions come back to. */
  self: string;
  older: boolean;
  next: string | null;
  /** Whether the reader may acknowledge and resolve (responder and up). */
  canAct: boolean;
  strips: Strips;
}) {
  const { filters } = props;
  const query = queryOf({ ...filters });
  const noun = props.older ? "older incidents" : "incidents";
  const empty =
    query.size > 0
      ? nothingMatched(noun, filters, phrases(props.sources), props.search)
      : `No ${noun}. A failing build opens one.`;
  return (
    <Layout title="Incidents" nonce={props.nonce}>
      <h1>Incidents</h1>
      <p class="muted">
        Every incident, newest first: a job's failing builds, a build that was due and did not come, a source
        gone silent. <a href="/">Needs attention</a> shows the open ones by priority.
      </p>
      <form class="filters" method="get" action="/incidents">
        <Select
          name="state"
          label="State"
          value={filters.state}
          options={INCIDENT_STATES.map((s) => [s, s])}
        />
        <Select
          name="kind"
          label="Kind"
          value={filters.kind}
          options={INCIDENT_KINDS.map((k) => [k, KIND_LABEL[k]])}
        />
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
        {query.size > 0 && <a href="/incidents">Clear</a>}
      </form>
      <JobMatchesNote search={props.search} noun="incidents" />
      <table class="stack">
        <ColumnHeads columns={INCIDENT_COLUMN} />
        <tbody id="incidents">
          <IncidentRows
            incidents={props.incidents}
            back={props.self}
            canAct={props.canAct}
            strips={props.strips}
          />
        </tbody>
      </table>
      {props.incidents.length === 0 && (
        <p class="muted" id="no-incidents">
          {empty}
        </p>
      )}
      {props.next && (
        <p>
          <a href={`/incidents?${new URLSearchParams([...query, ["cursor", props.next]])}`}>
            Older incidents →
          </a>
        </p>
      )}
    </Layout>
  );
}
