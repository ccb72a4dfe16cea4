/**
 * One incident: what it is about, its state, the deploys before it, the Acknowledge / Resolve form
 * (./incident-form.tsx), its timeline, and the alerts of its builds.
 */
import type { Alert } from "../../alerts/store";
import { jobLabel } from "../../core/job";
import { type DeployBefore, deployWords } from "../../incidents/deploys-before";
import type { Incident, IncidentEvent } from "../../incidents/store";
import type { HandAction } from "../../notify/incident-actions";
import type { ListedNotification } from "../../notify/store";
import { ALERT_COLUMN, AlertRows } from "../alerts/alert-rows";
import { ColumnHeads, Fact, Layout } from "../shell/layout";
import { Time } from "../shell/time";
import { ActForm } from "./incident-form";
import { IncidentNotifications } from "./incident-notifications";
import { StateCell } from "./incident-rows";
import { IncidentStrip, type Strips } from "./incident-strip";
import { buildRange, builds, describe, KIND_LABEL, StateBadges, subject } from "./incident-words";

const TIMELINE_COLUMN = { when: "When", what: "What", note: "Note" } as const;

export function IncidentPage(props: {
  nonce: string;
  incident: Incident;
  timeline: IncidentEvent[];
  notifications: ListedNotification[];
  alerts: Alert[];
  /** Its job's newest builds (./incident-strip.tsx). */
  strips: Strips;
  /** The deploys of its source that finished in the hour before it opened, newest first. */
  deploys: DeployBefore[];
  signedInAs: string | null;
  /** Whether `signedInAs` is verified (Access), and whether their role may act (responder and up). */
  verified?: boolean;
  canAct?: boolean;
  error?: string;
  /** The action a Teams card's link asked for (`?action=`): shown ready, never done on a GET. */
  ready?: HandAction;
}) {
  const { incident } = props;
  const range = buildRange(incident);
  return (
    <Layout title={`Incident: ${subject(incident)}`} nonce={props.nonce}>
      <p>
        <a href="/">← Needs attention</a> · <a href="/incidents">All incidents</a>
      </p>
      <h1>
        <span class={`badge p-${incident.priority}`}>{incident.priority}</span> {subject(incident)}:{" "}
        {KIND_LABEL[incident.kind]}
      </h1>
      <div class="card">
        <dl class="facts">
          <Fact label="State">
            <StateCell incident={incident} />
            <StateBadges incident={incident} />
          </Fact>
          <Fact label="Job">
            {incident.job === null ? (
              "whole source"
            ) : (
              <>
                {incident.job_display_name ?? jobLabel(incident.job)} <small>({incident.job_path})</small>
                <IncidentStrip incident={incident} strips={props.strips} />
              </>
            )}
          </Fact>
          <Fact label="Source">{incident.source_name} · Jenkins</Fact>
          <Fact label="Branch">{incident.branch ?? "–"}</Fact>
          <Fact label="Builds">
            {range ? `${range} · ${builds(incident.build_count)}` : "–"}
            {incident.latest_alert_id !== null && (
              <>
                {" "}
                · <a href={`/alerts/${incident.latest_alert_id}`}>Alert of #{incident.last_build}</a>
              </>
            )}
          </Fact>
          <Fact label="Opened">
            <Time iso={incident.opened_at} />
          </Fact>
          {props.deploys.length > 0 && (
            <Fact label="Deploys before">
              <ul class="deploys-before" id="deploys-before">
                {props.deploys.map((deploy) => (
                  <li>
                    <a href={`/alerts/${deploy.alert_id}`}>{deployWords(deploy)}</a>
                  </li>
                ))}
              </ul>
            </Fact>
          )}
          {incident.acknowledged_at && (
            <Fact label="Acknowledged">
              <Time iso={incident.acknowledged_at} />{" "}
              {incident.acknowledged_by ? `by ${incident.acknowledged_by}` : ""}
            </Fact>
          )}
          {incident.resolved_at && (
            <Fact label="Resolved">
              <Time iso={incident.resolved_at} />
            </Fact>
          )}
        </dl>
      </div>
      {incident.state !== "resolved" && props.canAct !== false && (
        <ActForm
          incident={incident}
          signedInAs={props.signedInAs}
          verified={props.verified}
          error={props.error}
          ready={props.ready}
        />
      )}
      <h2>Timeline</h2>
      <table class="stack timeline-events">
        <ColumnHeads columns={TIMELINE_COLUMN} />
        <tbody id="timeline">
          {props.timeline.map((event) => (
            <tr>
              <td data-label={TIMELINE_COLUMN.when}>
                <Time iso={event.at} seconds />
              </td>
              <td data-label={TIMELINE_COLUMN.what}>{describe(event, incident.kind)}</td>
              <td data-label={TIMELINE_COLUMN.note} class="note">
                {event.note ?? ""}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Notifications</h2>
      <IncidentNotifications
        incidentId={incident.id}
        notifications={props.notifications}
        canAct={props.canAct !== false}
      />
      {props.alerts.length > 0 && (
        <>
          <h2>Alerts of its builds</h2>
          {props.alerts.length < incident.build_count && (
            <p class="muted">
              The newest {props.alerts.length} of its {incident.build_count} builds.
            </p>
          )}
          <table class="stack">
            <ColumnHeads columns={ALERT_COLUMN} />
            <tbody id="incident-alerts">
              <AlertRows alerts={props.alerts} />
            </tbody>
          </table>
        </>
      )}
    </Layout>
  );
}
