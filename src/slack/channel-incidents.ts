/**
 * What a Slack channel hears about: the incidents not yet resolved that its Slack app destinations (the
 * enabled ones posting to that channel) route, by the rules notifications use ({@link routesIncident}).
 * Two queries whatever the numbers: the channel's destinations, then the unresolved incidents.
 */
import { type UnresolvedIncident, unresolvedIncidents } from "../incidents/unresolved";
import { listSealedDestinations } from "../notify/destinations/store";
import { routesIncident } from "../notify/route";

/** Unresolved incidents read per command, highest priority first: far more than a channel is shown. */
export const UNRESOLVED_READ = 1000;

export interface ChannelIncidents {
  /** Enabled Slack app destinations posting to the channel. */
  destinations: number;
  /** The unresolved incidents they route, highest priority first, then oldest. */
  incidents: UnresolvedIncident[];
  /** False when more than {@link UNRESOLVED_READ} incidents are unresolved: only those were looked at. */
  complete: boolean;
}

export async function channelIncidents(db: D1Database, channel: string): Promise<ChannelIncidents> {
  const destinations = await listSealedDestinations(db, { enabledOnly: true, slackChannel: channel });
  if (destinations.length === 0) return { destinations: 0, incidents: [], complete: true };
  const unresolved = await unresolvedIncidents(db, UNRESOLVED_READ);
  return {
    destinations: destinations.length,
    incidents: unresolved.filter((incident) => destinations.some((d) => routesIncident(d, incident))),
    complete: unresolved.length < UNRESOLVED_READ,
  };
}
