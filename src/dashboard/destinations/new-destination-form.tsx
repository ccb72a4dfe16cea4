/**
 * The form that creates a destination of one kind: name, address ({@link AddressFields}), routing rules
 * (every incident unless narrowed) and events. Its fields are the API's ({@link destinationInput}); it
 * carries a one-time nonce, so a reload of its answer creates nothing more. A refused post's error is tied
 * to the field it names (`aria-describedby`).
 */
import { type DestinationKind, INCIDENT_KINDS, NOTIFY_EVENTS, PRIORITIES } from "../../core/vocabulary";
import type { SourceRecord } from "../../sources/model";
import { AddressFields, type TieError } from "./address-fields";
import { type DestinationFormFields, KIND_WORDS } from "./destination-form";

export function NewDestinationForm(props: {
  kind: DestinationKind;
  fields: DestinationFormFields;
  formNonce: string;
  sources: SourceRecord[];
  /** This form's error, when its last post was refused, and the field it names (its API path). */
  error?: string;
  errorPath?: string;
}) {
  const { kind, fields } = props;
  const id = (name: string) => `${kind}-${name}`;
  const words = KIND_WORDS[kind];
  const about = (path: string) => props.error !== undefined && props.errorPath === path;
  const tie: TieError = (path) =>
    about(path) ? { "aria-invalid": "true", "aria-describedby": id("error") } : {};
  const tieGroup = (path: string) => (about(path) ? { "aria-describedby": id("error") } : {});
  const appToken = fields.slack_via === "app";
  return (
    <details class="card" open={props.error !== undefined} id={`new-${kind}`}>
      <summary>
        <h3>{words.title}</h3>
      </summary>
      <form class="filters" method="post" action="/destinations">
        <input type="hidden" name="form_nonce" value={props.formNonce} />
        <input type="hidden" name="kind" value={kind} />
        <label for={id("name")}>
          Name
          <input
            id={id("name")}
            type="text"
            name="name"
            required
            maxlength={100}
            value={fields.name}
            {...tie("name")}
          />
        </label>
        <AddressFields kind={kind} fields={fields} id={id} tie={tie} />
        <label for={id("source")}>
          Source
          <select id={id("source")} name="source_id" {...tie("match.source_id")}>
            <option value="">any source</option>
            {props.sources.map((source) => (
              <option value={source.id} selected={fields.source_id === source.id}>
                {source.name}
              </option>
            ))}
          </select>
        </label>
        <label for={id("job")}>
          Job (glob)
          <input
            id={id("job")}
            type="text"
            name="job"
            placeholder="acme/**"
            value={fields.job}
            {...tie("match.job")}
          />
        </label>
        <label for={id("branch")}>
          Branch (glob)
          <input
            id={id("branch")}
            type="text"
            name="branch"
            placeholder="main"
            value={fields.branch}
            {...tie("match.branch")}
          />
        </label>
        <label for={id("priority")}>
          Priority at least
          <select id={id("priority")} name="min_priority" {...tie("match.min_priority")}>
            <option value="">any</option>
            {PRIORITIES.map((p) => (
              <option value={p} selected={fields.min_priority === p}>
                {p}
              </option>
            ))}
          </select>
        </label>
        <fieldset {...tieGroup("match.kinds")}>
          <legend>Incident kinds (none: all)</legend>
          {INCIDENT_KINDS.map((k) => (
            <label>
              <span>
                <input type="checkbox" name="kinds" value={k} checked={fields.kinds.includes(k)} />{" "}
                {k.replaceAll("_", " ")}
              </span>
            </label>
          ))}
        </fieldset>
        <fieldset {...tieGroup("on")}>
          <legend>Events</legend>
          {NOTIFY_EVENTS.map((event) => (
            <label>
              <span>
                <input type="checkbox" name="on" value={event} checked={fields.on.includes(event)} /> {event}
              </span>
            </label>
          ))}
        </fieldset>
        <label for={id("escalate")}>
          Escalate after (with “escalated”)
          <input
            id={id("escalate")}
            type="text"
            name="escalate_after"
            placeholder="30m"
            value={fields.escalate_after}
            {...tie("escalate_after")}
          />
        </label>
        <button type="submit">Create {words.title} destination</button>
      </form>
      {props.error && (
        <p class="error" role="alert" id={id("error")}>
          {props.error} The {appToken ? "bot token" : "URL"} is never shown again: type it again.
        </p>
      )}
    </details>
  );
}
