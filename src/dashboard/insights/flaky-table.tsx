/** The Insights page's flakiest tests: the list `GET /api/flaky-tests` begins with. */
import type { FlakyTest } from "../../flaky/model";
import { ColumnHeads } from "../shell/layout";
import { Time } from "../shell/time";

const FLAKY = {
  test: "Test",
  job: "Job",
  flips: "Flips",
  failures: "Failures",
  last: "Last failed",
} as const;

export function FlakyTests({ rows }: { rows: FlakyTest[] }) {
  return (
    <section aria-labelledby="flakiest-tests">
      <h2 id="flakiest-tests">Flakiest tests</h2>
      <p class="muted">
        A flip: a test failed, then a rebuild at the same commit, or the next build without changes, passed
        it. Over every kept build, not only these days.
      </p>
      {rows.length === 0 ? (
        <p class="muted">No test has flipped.</p>
      ) : (
        <table class="stack">
          <ColumnHeads columns={FLAKY} />
          <tbody>
            {rows.map((row) => (
              <tr>
                <td data-label={FLAKY.test}>
                  <code>{row.test}</code>
                </td>
                <td data-label={FLAKY.job}>
                  <a href={`/alerts?${new URLSearchParams({ job: row.job_path, source_id: row.source_id })}`}>
                    {row.job_path}
                  </a>
                </td>
                <td data-label={FLAKY.flips}>{row.flips}</td>
                <td data-label={FLAKY.failures}>{row.failures}</td>
                <td data-label={FLAKY.last}>
                  <Time iso={row.last_seen_at} /> <small>(#{row.last_build})</small>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
