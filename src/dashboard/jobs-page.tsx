/** Job health: failing jobs first, streaks, flapping, durations. */
import type { Job } from "../db/jobs";
import { formatDuration } from "../domain/build-context";
import { jobLabel } from "../domain/job";
import { Layout } from "./layout";

export function JobsPage(props: { nonce: string; jobs: Job[] }) {
  return (
    <Layout title="Jobs" nonce={props.nonce}>
      <h1>Jobs</h1>
      <table>
        <thead>
          <tr>
            <th>State</th>
            <th>Job</th>
            <th>Last build</th>
            <th>Failing</th>
            <th class="wide">Last success</th>
            <th class="wide">Duration (last · median)</th>
            <th class="wide">Source</th>
          </tr>
        </thead>
        <tbody>
          {props.jobs.map((job) => (
            <tr>
              <td>
                <span class={`badge s-${job.state}`}>{job.state}</span>
                {job.flapping && (
                  <>
                    {" "}
                    <span class="badge s-stale">flapping</span>
                  </>
                )}
              </td>
              <td>
                <a href={`/?${new URLSearchParams({ job: job.job, source_id: job.source_id })}`}>
                  {job.display_name}
                </a>
                <br />
                <small>{jobLabel(job.job)}</small>
              </td>
              <td>
                {job.last_build !== null ? `#${job.last_build}` : "–"} <small>{job.last_status ?? ""}</small>
              </td>
              <td>
                {job.failing_streak > 0 ? `${job.failing_streak} since #${job.failing_since_build}` : "–"}
              </td>
              <td class="wide">{job.last_success_build !== null ? `#${job.last_success_build}` : "never"}</td>
              <td class="wide">
                {job.last_duration_ms !== null ? formatDuration(job.last_duration_ms) : "–"} ·{" "}
                {job.median_duration_ms !== null ? formatDuration(job.median_duration_ms) : "–"}
              </td>
              <td class="wide">{job.source_name}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {props.jobs.length === 0 && <p class="muted">No jobs have reported yet.</p>}
    </Layout>
  );
}
