/** A source of a test's own, to send builds through the real webhook and read its incidents back. */
import { expect } from "vitest";
import type { IncidentEvent } from "../../src/incidents/store";
import type { toApiIncident } from "../../src/incidents/view";
import type { ListedNotification } from "../../src/notify/store";
import { api, buildPayload, createSource, deliver } from "../helpers";

/** GET /api/incidents/:id: the incident, its timeline and its notifications. */
export type ApiIncident = ReturnType<typeof toApiIncident> & {
  timeline: IncidentEvent[];
  notifications: ListedNotification[];
};

export async function incidentSource(name: string) {
  const source = await createSource(name);
  const send = async (job: string, number: number, phase: string, status?: string) => {
    const res = await deliver(buildPayload({ job, number, phase, status }), { token: source.token });
    expect(res.status).toBe(200);
  };
  /** The build's COMPLETED and FINALIZED, as the plugin sends a finished build. */
  const finish = async (job: string, number: number, status: string) => {
    await send(job, number, "COMPLETED", status);
    await send(job, number, "FINALIZED", status);
  };
  /** The source's incidents, newest first (`query`: more filters, "&state=open"). */
  const incidents = async (query = "") => {
    const res = await api(`/api/incidents?source_id=${source.id}${query}`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { incidents: ApiIncident[] }).incidents;
  };
  const incident = async (id: number) => (await (await api(`/api/incidents/${id}`)).json()) as ApiIncident;
  /** The newest incident of `job`, with its timeline and notifications. */
  const incidentOf = async (job: string) => {
    const [newest] = await incidents(`&job=${encodeURIComponent(job)}`);
    return incident(newest?.id ?? 0);
  };
  return { source, send, finish, incidents, incident, incidentOf };
}
