/**
 * Where a new destination sends, on its form: the URL, or on the Slack form a choice between an incoming
 * webhook's URL and a Slack app's bot token and channel ID. Plain radios, no script (the page's CSP allows
 * none): the choice decides which fields are sent ({@link destinationInput}), so none of them is
 * `required` on the Slack form and the API's rules say what is missing. Neither secret is ever echoed back.
 */
import type { DestinationKind } from "../../core/vocabulary";
import { MAX_DESTINATION_URL_LENGTH } from "../../notify/destinations/url";
import { type DestinationFormFields, KIND_WORDS } from "./destination-form";

/** The attributes that tie a field to the form's error when the error is about it (else none). */
export type TieError = (path: string) => { "aria-invalid"?: "true"; "aria-describedby"?: string };

export function AddressFields(props: {
  kind: DestinationKind;
  fields: DestinationFormFields;
  /** The id of the field named `name` on this form. */
  id: (name: string) => string;
  tie: TieError;
}) {
  const { kind, fields, id, tie } = props;
  const url = (
    <label for={id("url")}>
      {KIND_WORDS[kind].url}
      <input
        id={id("url")}
        type="url"
        name="url"
        required={kind !== "slack"}
        maxlength={MAX_DESTINATION_URL_LENGTH}
        autocomplete="off"
        {...tie("url")}
      />
    </label>
  );
  if (kind !== "slack") return url;
  const app = fields.slack_via === "app";
  return (
    <fieldset>
      <legend>Posts with</legend>
      <label>
        <span>
          <input type="radio" name="slack_via" value="webhook" checked={!app} /> an incoming webhook URL
        </span>
      </label>
      {url}
      <label>
        <span>
          <input type="radio" name="slack_via" value="app" checked={app} /> Slack app: bot token and channel
          ID
        </span>
      </label>
      <label for={id("bot-token")}>
        Bot token (xoxb-…, the app's “OAuth & Permissions” page)
        <input
          id={id("bot-token")}
          type="password"
          name="bot_token"
          autocomplete="off"
          {...tie("bot_token")}
        />
      </label>
      <label for={id("channel")}>
        Channel ID (C0123ABCD, in the channel's details; not its name)
        <input
          id={id("channel")}
          type="text"
          name="channel"
          autocomplete="off"
          value={fields.channel}
          {...tie("channel")}
        />
      </label>
    </fieldset>
  );
}
