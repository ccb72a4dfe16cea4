/**
 * What every notification says, whatever carries it: the incident as the API shows it, the alert of its
 * latest build (or null), where the incident is on the dashboard, and what happened. The words and facts
 * are made once here; ./slack/message.ts, ./teams/message.ts and ./webhook/message.ts only lay them out, each
 * escaping for its own format. The words a person reads (the subject, every fact) show direction controls as
 * escapes ({@link showDirectionControls}); the webhook's JSON carries the incident as the API does. Pure.
 */

import type { toApiAlert } from "../alerts/view";
import type { NotifyEvent } from "../core/vocabulary";
import { type DeployBefore, deployWords } from "../incidents/deploys-before";
import type { toApiIncident } from "../incidents/view";
import { showDirectionControls } from "../platform/direction-controls";
import type { HandAction } from "./incident-actions";

export type ApiIncident = ReturnType<typeof toApiIncident>;
export type ApiAlert = ReturnType<typeof toApiAlert>;

/** `test`: the message POST /api/destinations/:id/test sends (./test-content.ts). */
export type ContentEvent = NotifyEvent | "test";

export interface NotificationContent {
  event: ContentEvent;
  incident: ApiIncident;
  /** The alert of the incident's latest build; null when it has none (missed_build, source_silent). */
  alert: ApiAlert | null;
  /** The incident's page on the dashboard; null when the Worker's public URL is not set (var PUBLIC_URL). */
  incidentUrl: string | null;
  /** When the event happened (ISO 8601). */
  at: string;
  /** The deploys of its source that finished in the hour before it opened, newest first. */
  deploysBefore: DeployBefore[];
}

const EVENT_TITLES: Record<ContentEvent, string> = {
  opened: "Incident opened",
  resolved: "Incident resolved",
  acknowledged: "Incident acknowledged",
  escalated: "Incident still unacknowledged",
  test: "Test notification",
};

/** What each kind of incident is called in a message. */
export const KIND_LABELS: Record<ApiIncident["kind"], string> = {
  failure: "Build failure",
  missed_build: "Missed build",
  source_silent: "Source silent",
};

/** What the incident is about: its job path, or the source for a silent source. */
export const subjectOf = ({ incident }: NotificationContent) =>
  showDirectionControls(incident.job_path ?? `source ${incident.source_name}`);

/** "Incident opened: acme/web-shop/main", the first line of every message. */
export const headline = (content: NotificationContent) =>
  `${EVENT_TITLES[content.event]}: ${subjectOf(content)}`;

/** One line for notifications and fallbacks: "Incident opened: acme/api (HIGH, #42 FAILURE)". */
export function summaryLine(content: NotificationContent): string {
  const build = buildNumber(content);
  const status = content.alert?.status;
  const details = [
    content.incident.priority,
    build !== null ? `#${build}${status ? ` ${status}` : ""}` : null,
  ];
  return `${headline(content)} (${details.filter(Boolean).join(", ")})`;
}

/**
 * The content as the incident now reads: the event its state answers to (open: "opened"). What a message
 * kept up to date shows (a Slack app's first message, the message a button press replaces).
 */
export function asItNowReads(content: NotificationContent): NotificationContent {
  const { state } = content.incident;
  return { ...content, event: state === "open" ? "opened" : state };
}

/** The words of the link to the incident's page (a test message links to the incident list). */
export const incidentLinkLabel = ({ event, incident }: NotificationContent) =>
  event === "test" ? "Open the dashboard" : `Open incident #${incident.id}`;

/**
 * The hand actions a message offers as buttons: Acknowledge while the incident is open, Resolve until it
 * is resolved, none on a test message (its incident is made up, so a press would act on nothing).
 */
export function handActionsOf({ event, incident }: NotificationContent): HandAction[] {
  return event === "test" ? [] : handActionsFor(incident.state);
}

/** The hand actions an incident in `state` still allows, in the order its buttons show them. */
export function handActionsFor(state: ApiIncident["state"]): HandAction[] {
  if (state === "resolved") return [];
  return state === "open" ? ["acknowledge", "resolve"] : ["resolve"];
}

/** The words on a hand action's button, the same on every receiver. */
export const HAND_ACTION_LABELS: Record<HandAction, string> = {
  acknowledge: "Acknowledge",
  resolve: "Resolve",
};

const buildNumber = ({ incident, alert }: NotificationContent) => alert?.build_number ?? incident.last_build;

/** A label and the text shown for it: every value here comes from the payload or the incident. */
export type Fact = readonly [label: string, value: string];

/** The incident's facts, in the order shown; absent ones are left out. */
export function factsOf(content: NotificationContent): Fact[] {
  const { incident, alert } = content;
  const build = buildNumber(content);
  const tests = alert?.test_summary;
  const facts: [string, string | null | undefined][] = [
    ["Priority", incident.priority],
    ["Kind", KIND_LABELS[incident.kind]],
    // Text, not a colour or an emoji alone: every receiver shows it the same way.
    ["Flaky", incident.flaky ? "yes: its builds failed only on known-flaky tests" : null],
    ["Job", incident.job_path],
    ["Build", build !== null ? `#${build}` : null],
    ["Status", alert?.status],
    ["Branch", alert?.branch ?? incident.branch],
    ["Commit", alert?.commit],
    ["Source", incident.source_name],
    ["State", stateOf(incident)],
    ["Culprits", alert?.culprits?.length ? alert.culprits.join(", ") : null],
    [
      "Failed tests",
      tests && tests.failed > 0
        ? `${tests.failed} of ${tests.total}${tests.failed_tests.length ? `: ${tests.failed_tests.join(", ")}` : ""}`
        : null,
    ],
    ["Deploys before", content.deploysBefore.map(deployWords).join("; ")],
  ];
  return facts.flatMap(([label, value]) => (value ? [[label, showDirectionControls(value)] as const] : []));
}

/** What an incident's state says in a message: "open", "acknowledged by …", "resolved by build #12". */
export function stateOf(
  incident: Pick<
    ApiIncident,
    "state" | "acknowledged_by" | "resolved_by" | "resolved_by_name" | "resolved_by_build"
  >,
): string {
  if (incident.state === "acknowledged" && incident.acknowledged_by) {
    return `acknowledged by ${incident.acknowledged_by}`;
  }
  if (incident.state === "resolved" && incident.resolved_by === "manual" && incident.resolved_by_name) {
    return `resolved by ${incident.resolved_by_name}`;
  }
  if (incident.state === "resolved" && incident.resolved_by_build !== null) {
    return `resolved by build #${incident.resolved_by_build}`;
  }
  return incident.state;
}

/**
 * The build's link, only when it is an absolute http(s) URL: `build_url` is whatever Jenkins sent, and a
 * `javascript:` or relative link must never become a button. Returned as the URL parser serialises it
 * (spaces, quotes and angle brackets percent-encoded).
 */
export function buildLink({ alert }: NotificationContent): { url: string; label: string } | null {
  if (!alert?.build_url) return null;
  try {
    const url = new URL(alert.build_url);
    if (url.protocol !== "https:" && url.protocol !== "http:") return null;
    return { url: url.href, label: `Build #${alert.build_number}` };
  } catch {
    return null;
  }
}

const ELLIPSIS = "…";

/**
 * `text` in at most `max` UTF-16 code units (at most `max` characters, whichever way a receiver
 * counts), ending in "…" when cut; never splits a surrogate pair.
 */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - ELLIPSIS.length;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}${ELLIPSIS}`;
}
