/** Incidents as the API, the notifications and the dashboard's JSON show them. */
import type { Incident } from "./store";

/** An incident as the API shows it: the model, and the provider it came from. */
export const toApiIncident = (incident: Incident) => ({ ...incident, provider: "jenkins" });
