/**
 * Incident rows: in the needs-attention view (and its live fragment) and the incidents list. Each row
 * links to the incident and to the alert of its latest build, and carries the Acknowledge and Resolve
 * forms (CSRF-checked posts that come back to `back`); each cell names its column (`data-label`) for
 * stacked rows, and the row says how it is announced when it is new (`data-announce`).
 */
import type { Incident } from "../../incidents/store";
import { Time } from "../shell/time";
import { IncidentStrip, type Strips } from "./incident-strip";
import {
  announcement,
  buildRange,
  builds,
  KIND_LABEL,
  StateBadges,
  stateDetail,
  subject,
} from "./incident-words";

/** The incidents table's columns: its headers, and each cell's label when rows stack. */
export const INCIDENT_COLUMN = {
  priority: "Priority",
  incident: "Incident",
  source: "Source · provider",
  builds: "Builds",
  opened: "Opened",
  state: "State",
  actions: "Actions",
} as const;

/** A post to act on an incident, coming back to `back`; the button names the incident for screen readers. */
export function ActionForm(props: { incident: Incident; action: "acknowledge" | "resolve"; back: string }) {
  const label = props.action === "acknowledge" ? "Acknowledge" : "Resolve";
  return (
    <form method="post" action={`/incidents/${props.incident.id}/${props.action}`} class="inline">
      <input type="hidden" name="back" value={props.back} />
      <button type="submit" class={props.action === "resolve" ? "secondary" : undefined}>
        {label}
        <span class="visually-hidden"> {subject(props.incident)}</span>
      </button>
    </form>
  );
}

export function StateCell({ incident }: { incident: Incident }) {
  const detail = stateDetail(incident);
  return (
    <>
      <span class={`badge s-${incident.state}`}>{incident.state}</span>
      {detail && (
        <>
          <br />
          <small>{detail}</small>
        </>
      )}
    </>
  );
}

/**
 * `canAct`: whether the reader's role may acknowledge and resolve (responder and up); viewers get no
 * buttons. `strips`: each job's newest builds, drawn beside its incident (the home page's).
 */
export function IncidentRows({
  incidents,
  back,
  canAct = true,
  strips,
}: {
  incidents: Incident[];
  back: string;
  canAct?: boolean;
  strips?: Strips;
}) {
  return (
    <>
      {incidents.map((incident) => {
        const range = buildRange(incident);
        return (
          <tr
            data-id={String(incident.id)}
            id={`incident-${incident.id}`}
            data-announce={announcement(incident)}
          >
            <td data-label={INCIDENT_COLUMN.priority}>
              <span class={`badge p-${incident.priority}`}>{incident.priority}</span>
            </td>
            <td data-label={INCIDENT_COLUMN.incident}>
              <a href={`/incidents/${incident.id}`}>{subject(incident)}</a>
              <br />
              <span class="badge k-incident">{KIND_LABEL[incident.kind]}</span>
              <StateBadges incident={incident} />
            </td>
            <td data-label={INCIDENT_COLUMN.source}>
              {incident.source_name}
              <br />
              <small>Jenkins</small>
            </td>
            <td data-label={INCIDENT_COLUMN.builds}>
              {strips && <IncidentStrip incident={incident} strips={strips} />}
              {range ?? <span class="muted">–</span>}
              {range && <small> · {builds(incident.build_count)}</small>}
              {incident.latest_alert_id !== null && (
                <>
                  <br />
                  <a href={`/alerts/${incident.latest_alert_id}`}>Alert of #{incident.last_build}</a>
                </>
              )}
            </td>
            <td data-label={INCIDENT_COLUMN.opened}>
              <Time iso={incident.opened_at} age />
            </td>
            <td data-label={INCIDENT_COLUMN.state}>
              <StateCell incident={incident} />
            </td>
            <td data-label={INCIDENT_COLUMN.actions} class="actions">
              {canAct && incident.state === "open" && (
                <ActionForm incident={incident} action="acknowledge" back={back} />
              )}
              {canAct && incident.state !== "resolved" && (
                <ActionForm incident={incident} action="resolve" back={back} />
              )}
            </td>
          </tr>
        );
      })}
    </>
  );
}
