/**
 * The deploys an incident names (docs/incidents.md "Deploys"): those of its source that finished in the
 * hour before it opened, newest first, and the words that say so ("acme/deploy-web #212 finished 4 min
 * before"), made once here for the dashboard, the API and every notification.
 */
import { type Deploy, deploysBetween } from "../alerts/deploys";
import { UNIT_MS } from "../platform/duration";
import type { Incident } from "./store";

/** How long before an incident opened a deploy is named: an hour, its end included. */
export const DEPLOY_WINDOW_MS = UNIT_MS.h;

/** A deploy as an incident names it: with how long before the incident opened it finished. */
export interface DeployBefore extends Deploy {
  /** Whole minutes between its finish and the incident's opening (rounded down; 0 to 60). */
  minutes_before: number;
}

/** `deploy` as named by an incident that opened at `openedAt` (ISO 8601). Pure. */
export function deployBefore(deploy: Deploy, openedAt: string): DeployBefore {
  const ms = Date.parse(openedAt) - Date.parse(deploy.finished_at);
  return { ...deploy, minutes_before: Math.max(0, Math.floor(ms / UNIT_MS.m)) };
}

/** "acme/deploy-web #212 finished 4 min before"; under a minute: "finished less than a minute before". Pure. */
export function deployWords({ job_path, build_number, minutes_before }: DeployBefore): string {
  const when = minutes_before < 1 ? "less than a minute" : `${minutes_before} min`;
  return `${job_path} #${build_number} finished ${when} before`;
}

/** The window before `openedAt` (ISO 8601) whose deploys an incident names, as ISO 8601 instants. */
export function windowBefore(openedAt: string): { from: string; to: string } {
  const to = Date.parse(openedAt);
  return { from: new Date(to - DEPLOY_WINDOW_MS).toISOString(), to: new Date(to).toISOString() };
}

/** The deploys of the incident's source that finished in the hour before it opened, newest first. */
export async function deploysBefore(
  db: D1Database,
  incident: Pick<Incident, "source_id" | "opened_at">,
): Promise<DeployBefore[]> {
  const { from, to } = windowBefore(incident.opened_at);
  const deploys = await deploysBetween(db, incident.source_id, from, to);
  return deploys.map((deploy) => deployBefore(deploy, incident.opened_at));
}
