/**
 * One job's page: its health, figures and open incidents as text, the history strip of its newest
 * builds and their duration trend with the median, and the same builds as a table (the charts' text
 * alternative, which a screen reader reaches like any table).
 */
import { formatDuration } from "../../core/build-context";
import type { JobHistory } from "../../incidents/job-history";
import { HISTORY_BUILDS } from "../../jobs/history";
import { HistoryStrip, RESULT_LOOK, resultCounts } from "../charts/strip";
import { DurationTrend } from "../charts/trend";
import { ColumnHeads, Fact, Layout } from "../shell/layout";
import { Time } from "../shell/time";
import { FigureFacts, HeartbeatText } from "./job-figures";

const BUILD_COLUMN = {
  build: "Build",
  result: "Result",
  duration: "Duration",
  when: "First heard of",
} as const;

export function JobPage(props: { nonce: string; history: JobHistory }) {
  const { job, builds, figures, open_incidents, deploys } = props.history;
  const alerts = `/alerts?${new URLSearchParams({ job: job.job_path, source_id: job.source_id })}`;
  return (
    <Layout title={`Job: ${job.job_path}`} nonce={props.nonce}>
      <p>
        <a href="/jobs">← Jobs</a> · <a href={alerts}>Its alerts</a>
      </p>
      <h1>
        <span class={`badge s-${job.state}`}>{job.state}</span> {job.display_name}
      </h1>
      <div class="card">
        <dl class="facts">
          <Fact label="Path">{job.job_path}</Fact>
          <Fact label="Source">{job.source_name} · Jenkins</Fact>
          <Fact label="Open incidents">
            {open_incidents.length === 0
              ? "none"
              : open_incidents.map((incident, i) => (
                  <>
                    {i > 0 && ", "}
                    <a href={`/incidents/${incident.id}`}>
                      #{incident.id} {incident.kind.replace("_", " ")} ({incident.state})
                    </a>
                  </>
                ))}
          </Fact>
          <FigureFacts figures={figures} />
          <Fact label="Heartbeat">
            <HeartbeatText heartbeat={job.heartbeat} />
          </Fact>
        </dl>
      </div>
      <h2 id="strip-heading">Last {HISTORY_BUILDS} builds</h2>
      {builds.length === 0 ? (
        <p class="muted">No build yet.</p>
      ) : (
        <>
          <p id="strip-summary">{resultCounts(builds)}. Oldest on the left; each links to its alert.</p>
          <section class="chart-scroll" aria-labelledby="strip-heading" tabindex={0}>
            <HistoryStrip
              builds={builds}
              title={`${job.job_path}: the last ${builds.length} builds, oldest first`}
            />
          </section>
          <h2>Duration trend</h2>
          <section class="chart-scroll" aria-label="Duration trend" tabindex={0}>
            <DurationTrend
              builds={builds}
              medianMs={figures.median_duration_ms}
              deploys={deploys}
              title="Build duration, oldest first"
              id="trend"
            />
          </section>
          {deploys.length > 0 && (
            <>
              <h3 id="deploys-heading">Deploys in this period (▲ on the trend)</h3>
              <ul aria-labelledby="deploys-heading">
                {deploys.map((deploy) => (
                  <li>
                    <a href={`/alerts/${deploy.alert_id}`}>
                      {deploy.job_path} #{deploy.build_number}
                    </a>{" "}
                    finished <Time iso={deploy.finished_at} />
                  </li>
                ))}
              </ul>
            </>
          )}
          <details id="builds-table" open>
            <summary>The same builds as a table</summary>
            <table class="stack">
              <caption class="visually-hidden">The job's last {builds.length} builds, newest first</caption>
              <ColumnHeads columns={BUILD_COLUMN} />
              <tbody>
                {builds.map((build) => {
                  const look = RESULT_LOOK[build.result];
                  return (
                    <tr>
                      <td data-label={BUILD_COLUMN.build}>
                        <a href={`/alerts/${build.alert_id}`}>#{build.build_number}</a>
                      </td>
                      <td data-label={BUILD_COLUMN.result}>
                        <span class={`badge tone-${look.tone} result`}>
                          {look.symbol} {look.word}
                        </span>
                      </td>
                      <td data-label={BUILD_COLUMN.duration}>
                        {build.duration_ms === null ? "–" : formatDuration(build.duration_ms)}
                      </td>
                      <td data-label={BUILD_COLUMN.when}>
                        <Time iso={build.at} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </details>
        </>
      )}
    </Layout>
  );
}
