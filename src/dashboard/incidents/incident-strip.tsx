/**
 * The small strip of a job's newest builds beside an incident (home page and its live rows, the
 * incidents list, the incident page), with a link to the job's page. The strips of a whole list come
 * from ONE query ({@link recentBuildsOfJobs}), never one per row.
 */
import type { Incident } from "../../incidents/store";
import { STRIP_BUILDS } from "../../jobs/history";
import { type JobStrip, recentBuildsOfJobs, stripKey } from "../../jobs/history-store";
import { HistoryStrip } from "../charts/strip";

/** Each incident's job's strip, by {@link stripKey}; incidents without a job have none. */
export type Strips = Map<string, JobStrip>;

/** The strips of the jobs of `incidents`, in one statement. */
export function stripsOf(db: D1Database, incidents: Incident[]): Promise<Strips> {
  const refs = incidents.flatMap(({ source_id, job }) => (job === null ? [] : [{ source_id, job }]));
  return recentBuildsOfJobs(db, refs, STRIP_BUILDS);
}

/** The strip of `incident`'s job and the link to its page; nothing when it has no job or no build yet. */
export function IncidentStrip({ incident, strips }: { incident: Incident; strips: Strips }) {
  if (incident.job === null) return null;
  const strip = strips.get(stripKey({ source_id: incident.source_id, job: incident.job }));
  if (!strip) return null;
  const path = incident.job_path ?? incident.job;
  return (
    <div class="incident-strip">
      {strip.builds.length > 0 && (
        <HistoryStrip
          builds={strip.builds}
          title={`${path}: its last ${strip.builds.length} builds, oldest first`}
          small
        />
      )}
      <a href={`/jobs/${strip.job_id}`}>
        Job page<span class="visually-hidden"> of {path}</span>
      </a>
    </div>
  );
}
