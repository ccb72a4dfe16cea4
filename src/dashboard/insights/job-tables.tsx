/** The Insights page's lists: the noisiest jobs (by incidents, by failing builds) and the jobs red longest. */
import { jobLabel } from "../../core/job";
import type { JobCount, JobName, RedJob } from "../../insights/figures";
import { ColumnHeads } from "../shell/layout";
import { Time } from "../shell/time";

/** A duration as people say it: "40 s", "12 min", "5 h 20 min", "3 d 4 h". */
export function roughDuration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return `${Math.round(ms / 1000)} s`;
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  return hours % 24 ? `${Math.floor(hours / 24)} d ${hours % 24} h` : `${Math.floor(hours / 24)} d`;
}

/** The job, linked to its alerts like the Jobs page links it. */
function JobCell({ job }: { job: JobName }) {
  return (
    <>
      <a href={`/alerts?${new URLSearchParams({ job: jobLabel(job.job), source_id: job.source_id })}`}>
        {job.job_display_name}
      </a>
      <br />
      <small>{jobLabel(job.job)}</small>
    </>
  );
}

const NOISY = { rank: "#", job: "Job", source: "Source", count: "" } as const;

/** A ranking of jobs by a count (`counted`: what the count is of, the column's heading). */
export function NoisyJobs(props: {
  id: string;
  title: string;
  counted: string;
  rows: JobCount[];
  none: string;
}) {
  const columns = { ...NOISY, count: props.counted };
  return (
    <section aria-labelledby={props.id}>
      <h2 id={props.id}>{props.title}</h2>
      {props.rows.length === 0 ? (
        <p class="muted">{props.none}</p>
      ) : (
        <table class="stack">
          <ColumnHeads columns={columns} />
          <tbody>
            {props.rows.map((row, i) => (
              <tr>
                <td data-label={columns.rank}>{i + 1}</td>
                <td data-label={columns.job}>
                  <JobCell job={row} />
                </td>
                <td data-label={columns.source}>{row.source_name}</td>
                <td data-label={columns.count}>{row.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

const RED = {
  job: "Job",
  source: "Source",
  since: "Red since",
  for: "Red for",
  streak: "Failing builds",
} as const;

/** The jobs failing now, longest first. */
export function RedJobs({ rows }: { rows: (RedJob & { red_for_ms: number })[] }) {
  return (
    <section aria-labelledby="red-longest">
      <h2 id="red-longest">Red longest</h2>
      {rows.length === 0 ? (
        <p class="muted">No job is failing now.</p>
      ) : (
        <table class="stack">
          <ColumnHeads columns={RED} />
          <tbody>
            {rows.map((row) => (
              <tr>
                <td data-label={RED.job}>
                  <JobCell job={row} />
                </td>
                <td data-label={RED.source}>{row.source_name}</td>
                <td data-label={RED.since}>
                  <Time iso={row.red_since} /> <small>(#{row.failing_since_build})</small>
                </td>
                <td data-label={RED.for}>{roughDuration(row.red_for_ms)}</td>
                <td data-label={RED.streak}>{row.failing_streak}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
