/** Job health: failing jobs first, streaks, flapping, durations; each job links to its own page. */

import { formatDuration } from "../../core/build-context";
import { jobLabel } from "../../core/job";
import type { Job } from "../../jobs/store";
import { ColumnHeads, Layout } from "../shell/layout";

/** The jobs table's columns: its headers, and each cell's label when rows stack on a phone. */
const COLUMN = {
  state: "State",
  job: "Job",
  lastBuild: "Last build",
  failing: "Failing",
  lastSuccess: "Last success",
  duration: "Duration (last · median)",
  source: "Source",
} as const;

export function JobsPage(props: { nonce: string; jobs: Job[] }) {
  return (
    <Layout title="Jobs" nonce={props.nonce}>
      <h1>Jobs</h1>
      <table class="stack">
        <ColumnHeads columns={COLUMN} />
        <tbody>
          {props.jobs.map((job) => (
            <tr>
              <td data-label={COLUMN.state}>
                <span class={`badge s-${job.state}`}>{job.state}</span>
                {job.flapping && (
                  <>
                    {" "}
                    <span class="badge s-stale">flapping</span>
                  </>
                )}
              </td>
              <td data-label={COLUMN.job}>
                <a href={`/jobs/${job.id}`}>{job.display_name}</a>
                <br />
                <small>
                  {jobLabel(job.job)} ·{" "}
                  <a
                    href={`/alerts?${new URLSearchParams({ job: jobLabel(job.job), source_id: job.source_id })}`}
                  >
                    alerts
                  </a>
                </small>
              </td>
              <td data-label={COLUMN.lastBuild}>
                {job.last_build !== null ? `#${job.last_build}` : "–"} <small>{job.last_status ?? ""}</small>
              </td>
              <td data-label={COLUMN.failing}>
                {job.failing_streak > 0 ? `${job.failing_streak} since #${job.failing_since_build}` : "–"}
              </td>
              <td data-label={COLUMN.lastSuccess}>
                {job.last_success_build !== null ? `#${job.last_success_build}` : "never"}
              </td>
              <td data-label={COLUMN.duration}>
                {job.last_duration_ms !== null ? formatDuration(job.last_duration_ms) : "–"} ·{" "}
                {job.median_duration_ms !== null ? formatDuration(job.median_duration_ms) : "–"}
              </td>
              <td data-label={COLUMN.source}>{job.source_name}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.jobs.length === 0 && <p class="muted">No jobs have reported yet.</p>}
    </Layout>
  );
}
