/**
 * The new-destination form's fields and what they stand for: a posted form becomes the body the API
 * would be sent ({@link NewDestinationSchema}'s input), and its problems sentences naming the field. What
 * was typed comes back with an error, except the URL and a Slack app's bot token: a page never shows a URL
 * beyond its host, nor a token at all.
 */
import {
  type DestinationKind,
  INCIDENT_KINDS,
  type IncidentKind,
  NOTIFY_EVENTS,
  type NotifyEvent,
} from "../../core/vocabulary";
import { DEFAULT_EVENTS } from "../../notify/destinations/schema";
import type { FieldProblem } from "../../platform/issues";

/** What each kind's URL is, for its form. */
export const KIND_WORDS: Record<DestinationKind, { title: string; url: string }> = {
  slack: { title: "Slack", url: "Incoming webhook URL (https://hooks.slack.com/services/…)" },
  teams: { title: "Microsoft Teams", url: "Workflow webhook URL (Workflows app, “Post to a channel”)" },
  webhook: { title: "Webhook", url: "Your endpoint's https URL (signed with Standard Webhooks)" },
};

/** How a Slack destination posts, chosen on its form: an incoming webhook's URL, or a Slack app. */
export const SLACK_VIAS = ["webhook", "app"] as const;
export type SlackVia = (typeof SLACK_VIAS)[number];

const LABELS: Record<string, string> = {
  name: "Name",
  kind: "Kind",
  url: "URL",
  bot_token: "Bot token",
  channel: "Channel ID",
  "match.source_id": "Source",
  "match.job": "Job",
  "match.branch": "Branch",
  "match.min_priority": "Priority at least",
  "match.kinds": "Incident kinds",
  on: "Events",
  escalate_after: "Escalate after",
};

/** The form as typed (the URL and the bot token apart, never shown again). */
export interface DestinationFormFields {
  kind: string;
  /** The Slack form's choice; "" on the other kinds' forms, which have none. */
  slack_via: SlackVia | "";
  name: string;
  /** A Slack app's channel ID (no secret: the list shows it). */
  channel: string;
  source_id: string;
  job: string;
  branch: string;
  min_priority: string;
  kinds: string[];
  on: string[];
  escalate_after: string;
}

/** An empty form of `kind`: every incident, opened and resolved. */
export const emptyFields = (kind: DestinationKind): DestinationFormFields => ({
  kind,
  slack_via: kind === "slack" ? "webhook" : "",
  name: "",
  channel: "",
  source_id: "",
  job: "",
  branch: "",
  min_priority: "",
  kinds: [],
  on: [...DEFAULT_EVENTS],
  escalate_after: "",
});

type Posted = Record<string, string | File | (string | File)[]>;

/** What a form posts that is never shown again. */
export interface FormSecrets {
  url: string;
  botToken: string;
}

/** A posted form (`parseBody({ all: true })`): its fields, and its secrets and the form's nonce apart. */
export function fieldsFromForm(form: Posted): {
  fields: DestinationFormFields;
  secrets: FormSecrets;
  formNonce: string;
} {
  const list = (name: string) =>
    [form[name] ?? []].flat().filter((value): value is string => typeof value === "string");
  const text = (name: string) => list(name)[0] ?? "";
  const via = text("slack_via");
  return {
    secrets: { url: text("url").trim(), botToken: text("bot_token").trim() },
    formNonce: text("form_nonce"),
    fields: {
      kind: text("kind"),
      slack_via: (SLACK_VIAS as readonly string[]).includes(via) ? (via as SlackVia) : "",
      name: text("name"),
      channel: text("channel").trim(),
      source_id: text("source_id"),
      job: text("job").trim(),
      branch: text("branch").trim(),
      min_priority: text("min_priority"),
      kinds: list("kinds").filter((kind) => (INCIDENT_KINDS as readonly string[]).includes(kind)),
      on: list("on").filter((event) => (NOTIFY_EVENTS as readonly string[]).includes(event)),
      escalate_after: text("escalate_after").trim(),
    },
  };
}

/**
 * The body the API would be sent (unvalidated): empty fields left out, as a person leaves them, and on
 * the Slack form only the address its choice names (what was typed for the other one is dropped). Without
 * a choice every address typed goes, so the API's rules ({@link addressProblem}) say what is wrong.
 */
export function destinationInput(fields: DestinationFormFields, secrets: FormSecrets): unknown {
  const rule = (name: string, value: string) => (value === "" ? {} : { [name]: value });
  const via = fields.slack_via;
  return {
    name: fields.name,
    kind: fields.kind,
    ...(via === "app" ? {} : rule("url", secrets.url)),
    ...(via === "webhook"
      ? {}
      : { ...rule("bot_token", secrets.botToken), ...rule("channel", fields.channel) }),
    match: {
      ...rule("source_id", fields.source_id),
      ...rule("job", fields.job),
      ...rule("branch", fields.branch),
      ...rule("min_priority", fields.min_priority),
      ...(fields.kinds.length > 0 ? { kinds: fields.kinds as IncidentKind[] } : {}),
    },
    on: fields.on as NotifyEvent[],
    ...rule("escalate_after", fields.escalate_after),
  };
}

/** A problem as a sentence for the page: "URL: expected an https URL." */
export const formError = ({ path, message }: FieldProblem) =>
  `${LABELS[path] ?? (path || "Destination")}: ${message}.`;
