/**
 * The incident page's form: an optional note (the API's `note`), Acknowledge while the incident is
 * open, Resolve until it is resolved; both come back to the page. It says which name the action is
 * recorded with: the person Cloudflare Access verified, or the label typed at admin-token sign-in.
 */

import { IncidentActionSchema } from "../../incidents/schema";
import type { Incident } from "../../incidents/store";
import { maxLengthOf } from "../shell/display-name";

const MAX_NOTE_LENGTH = maxLengthOf(IncidentActionSchema.entries.note.wrapped);

export function ActForm(props: {
  incident: Incident;
  signedInAs: string | null;
  /** Whether `signedInAs` is a verified identity (Access), not a typed label. */
  verified?: boolean;
  error?: string;
}) {
  const { incident } = props;
  const self = `/incidents/${incident.id}`;
  return (
    <form method="post" action={`${self}/resolve`} class="card act">
      <h2>Act on it</h2>
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
            <button type="submit" formaction={`${self}/acknowledge`}>
              Acknowledge
            </button>{" "}
          </>
        )}
        <button type="submit" class="secondary">
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
