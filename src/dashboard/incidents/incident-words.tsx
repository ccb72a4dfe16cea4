/**
 * How incidents read on the dashboard: what an incident is about, its kind and state in words, and
 * each timeline entry as a sentence ("Resolved by hand by Ada"). Names people gave are labels, shown
 * as typed (JSX escapes them).
 */

import type { IncidentKind } from "../../core/vocabulary";
import type { Incident, IncidentEvent } from "../../incidents/store";

export const KIND_LABEL: Record<IncidentKind, string> = {
  failure: "failure",
  missed_build: "missed build",
  source_silent: "source silent",
};

/** The job path, or "whole source" for an incident about a source rather than a job. */
export const subject = (incident: Pick<Incident, "job_path">) => incident.job_path ?? "whole source";

/** "acme/payments-api failure, HIGH": how a new incident is announced. */
export const announcement = (incident: Incident) =>
  `${subject(incident)} ${KIND_LABEL[incident.kind]}, ${incident.priority}`;

/** "#7–#9", "#7", or null without builds. */
export function buildRange({ first_build, last_build }: Pick<Incident, "first_build" | "last_build">) {
  if (first_build === null) return null;
  return last_build === null || last_build === first_build
    ? `#${first_build}`
    : `#${first_build}–#${last_build}`;
}

export const builds = (count: number) => (count === 1 ? "1 build" : `${count} builds`);

const named = (by: string | null) => (by ? ` by ${by}` : " (no name given)");

/** Who and how, under the state: "by Ada", "by build #9", "by hand by Ada", "by heartbeat". */
export function stateDetail(incident: Incident): string | null {
  if (incident.state === "acknowledged") return named(incident.acknowledged_by).trim();
  if (incident.state !== "resolved") return null;
  switch (incident.resolved_by) {
    case "build":
      return incident.resolved_by_build !== null ? `by build #${incident.resolved_by_build}` : "by a build";
    case "heartbeat":
      return "by heartbeat";
    case "manual":
      return `by hand${named(incident.resolved_by_name)}`;
    default:
      return null;
  }
}

const OPENED_BECAUSE: Record<IncidentKind, string> = {
  failure: "",
  missed_build: ": a build was due and none came",
  source_silent: ": the source sent nothing for too long",
};

/** A timeline entry as a sentence. The timeline's own actors are "build" and "heartbeat". */
export function describe(event: IncidentEvent, kind: IncidentKind): string {
  const build = event.build_number !== null ? ` #${event.build_number}` : "";
  switch (event.type) {
    case "opened":
      return kind === "failure" && build ? `Opened by build${build}` : `Opened${OPENED_BECAUSE[kind]}`;
    case "joined":
      return `Joined by build${build}`;
    case "acknowledged":
      return `Acknowledged${named(event.by)}`;
    case "silenced":
      return `Silenced${event.by ? ` by ${event.by}` : ""}`;
    case "unsilenced":
      return `Un-silenced${event.by ? ` by ${event.by}` : ""}`;
    case "resolved":
      if (event.by === "build") return `Resolved by build${build}`;
      if (event.by === "heartbeat") return "Resolved by heartbeat: what it waited for came";
      return `Resolved by hand${named(event.by)}`;
  }
}

/** The badges after an incident's state, in words (not colour only): silenced, flaky. */
export function StateBadges({ incident }: { incident: Pick<Incident, "silenced" | "flaky"> }) {
  return (
    <>
      {incident.silenced && (
        <>
          {" "}
          <span class="badge s-silenced">silenced</span>
        </>
      )}
      {incident.flaky && (
        <>
          {" "}
          <span class="badge s-flaky" title="Its builds failed only on known-flaky tests">
            flaky
          </span>
        </>
      )}
    </>
  );
}
