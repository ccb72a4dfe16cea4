/**
 * The dashboard's home: what needs attention. Open and acknowledged incidents, highest priority
 * first, then newest, kept current by the live script (a new incident appears within seconds, a
 * resolved one leaves), with Acknowledge and Resolve on each row. The per-build alerts are one click
 * away.
 */
import { raw } from "hono/html";
import type { Incident } from "../../incidents/store";
import { ColumnHeads, Layout } from "../shell/layout";
import { LIVE_SCRIPT, LiveBody } from "../shell/live";
import { INCIDENT_COLUMN, IncidentRows } from "./incident-rows";
import type { Strips } from "./incident-strip";

/** The address of the view, where its rows' actions come back to. */
export const ATTENTION_PATH = "/";

export function AttentionPage(props: {
  nonce: string;
  incidents: Incident[];
  more: boolean;
  canAct: boolean;
  strips: Strips;
}) {
  return (
    <Layout title="Needs attention" nonce={props.nonce}>
      <h1>Needs attention</h1>
      <p class="muted">
        Open and acknowledged incidents, highest priority first, then newest. New ones appear here within
        seconds; resolved ones leave. <a href="/incidents">All incidents</a> ·{" "}
        <a href="/alerts">Alerts, build by build</a>
      </p>
      <div id="announcer" class="visually-hidden" role="status" aria-live="polite" aria-atomic="true" />
      <table class="stack">
        <ColumnHeads columns={INCIDENT_COLUMN} />
        <LiveBody
          id="incidents"
          from="/needs-attention/rows"
          mode="all"
          query={new URLSearchParams()}
          noun="incident"
          empty="no-incidents"
        >
          <IncidentRows
            incidents={props.incidents}
            back={ATTENTION_PATH}
            canAct={props.canAct}
            strips={props.strips}
          />
        </LiveBody>
      </table>
      <p class="muted" id="no-incidents" hidden={props.incidents.length > 0}>
        Nothing needs attention: no incident is open or acknowledged.
      </p>
      {props.more && (
        <p id="more-incidents">
          Showing the first {props.incidents.length}. <a href="/incidents?state=open">All open incidents →</a>
        </p>
      )}
      <script nonce={props.nonce}>{raw(LIVE_SCRIPT)}</script>
    </Layout>
  );
}
