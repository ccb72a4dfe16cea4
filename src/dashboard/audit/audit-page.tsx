/** The audit log page: who changed what and when, newest first, with the API's filters. */
import { AUDIT_ACTIONS } from "../../audit/entry";
import type { AuditFilters, AuditRecord } from "../../audit/store";
import { queryOf, Select } from "../shell/filters";
import { Layout } from "../shell/layout";
import { Time } from "../shell/time";

export function AuditPage(props: {
  nonce: string;
  entries: AuditRecord[];
  filters: AuditFilters;
  older: string | null;
}) {
  const { filters } = props;
  return (
    <Layout title="Audit log" nonce={props.nonce}>
      <h1>Audit log</h1>
      <p class="muted">
        Every change, newest first: who made it (the verified identity, or the admin token), from which
        address, and a short before and after. Kept as long as alerts.
      </p>
      <form method="get" action="/audit" class="filters">
        <label>
          Actor
          <input type="search" name="actor" value={filters.actor ?? ""} placeholder="alice@example.com" />
        </label>
        <Select
          name="action"
          label="Action"
          value={filters.action}
          options={AUDIT_ACTIONS.map((action) => [action, action])}
        />
        <label>
          Target
          <input type="search" name="target" value={filters.target ?? ""} placeholder="incident:12" />
        </label>
        <label>
          From
          <input type="text" name="from" value={filters.from ?? ""} placeholder="2026-12-01T00:00:00Z" />
        </label>
        <label>
          Before
          <input type="text" name="to" value={filters.to ?? ""} placeholder="2026-12-02T00:00:00Z" />
        </label>
        <button type="submit">Filter</button>
      </form>
      <table>
        <thead>
          <tr>
            <th>When</th>
            <th>Who</th>
            <th>Action</th>
            <th>Target</th>
            <th>Details</th>
          </tr>
        </thead>
        <tbody id="audit-entries">
          {props.entries.map((entry) => (
            <AuditRow entry={entry} />
          ))}
        </tbody>
      </table>
      {props.entries.length === 0 && <p class="muted">No audit entries.</p>}
      {props.older && (
        <p>
          <a href={`/audit?${queryOf({ ...filters, cursor: props.older })}`}>Older entries →</a>
        </p>
      )}
    </Layout>
  );
}

function AuditRow({ entry }: { entry: AuditRecord }) {
  return (
    <tr>
      <td>
        <Time iso={entry.at} />
      </td>
      <td>
        {entry.actor.name}
        {/* A person acting through Slack's buttons: recorded as the person, with `via` in the details. */}
        {entry.details?.via === "slack" && " via Slack"}
        <br />
        <small>
          {entry.actor.kind}
          {entry.actor.ip && ` · ${entry.actor.ip}`}
        </small>
      </td>
      <td>{entry.action}</td>
      <td>{entry.target ?? ""}</td>
      <td>{entry.details && <code>{JSON.stringify(entry.details)}</code>}</td>
    </tr>
  );
}
