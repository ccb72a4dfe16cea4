/**
 * The incident page's form: an optional note (the API's `note`), Acknowledge while the incident is
 * open, Resolve until it is resolved; both come back to the page. It says which name the action is
 * recorded with: the person Cloudflare Access verified, or the label typed at admin-token sign-in.
 * Opened from a Teams card's link, it shows that action ready (its button highlighted, a sentence saying
 * why): a GET never acts, the person presses the button.
 */

import { IncidentActionSchema } from "../../incidents/schema";
import type { Incident } from "../../incidents/store";
import { HAND_ACTION_LABELS } from "../../notify/content";
import type { HandAction } from "../../notify/incident-actions";
import { maxLengthOf } from "../shell/display-name";

const MAX_NOTE_LENGTH = maxLengthOf(IncidentActionSchema.entries.note.wrapped);

export function ActForm(props: {
  incident: Incident;
  signedInAs: string | null;
  /** Whether `signedInAs` is a verified identity (Access), not a typed label. */
  verified?: boolean;
  error?: string;
  ready?: HandAction;
}) {
  const { incident, ready } = props;
  const self = `/incidents/${incident.id}`;
  const readyClass = (action: HandAction, base?: string) =>
    [base, ready === action ? "ready" : null].filter(Boolean).join(" ") || undefined;
  return (
    <form method="post" action={`${self}/resolve`} class="card act">
      <h2>Act on it</h2>
      {ready && <ReadyLine action={ready} incident={incident} />}
      <input type="hidden" name="back" value={self} />
      <label>
        Note (optional)
        <textarea
          name="note"
          rows={2}
          maxlength={MAX_NOTE_LENGTH}
          aria-invalid={props.error ? "true" : undefined}
          aria-describedby={props.error ? "note-error" : undefined}
        />
      </label>
      {props.error && (
        <p class="error" id="note-error" role="alert">
          {props.error}
        </p>
      )}
      <p>
        {incident.state === "open" && (
          <>
            <button type="submit" formaction={`${self}/acknowledge`} class={readyClass("acknowledge")}>
              Acknowledge
            </button>{" "}
          </>
        )}
        <button type="submit" class={readyClass("resolve", "secondary")}>
          Resolve
        </button>
      </p>
      <p class="muted">
        <small>
          {props.verified
            ? `Recorded as ${props.signedInAs}.`
            : props.signedInAs
              ? `Recorded as “${props.signedInAs} (admin token)”: the name given at sign-in is a label, not a proof of who you are.`
              : "Recorded as the admin token: no name was given at sign-in."}
        </small>
      </p>
    </form>
  );
}

/** Why an action is ready, or that it is done already (acknowledged since the card was sent). */
function ReadyLine(props: { action: HandAction; incident: Incident }) {
  const done = props.action === "acknowledge" && props.incident.state !== "open";
  return (
    <p class="notice ready-action">
      You came from Teams to {props.action} this incident
      {done ? ": it is already acknowledged." : `. Press ${HAND_ACTION_LABELS[props.action]} to do it.`}
    </p>
  );
}
