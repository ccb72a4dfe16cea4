/**
 * The Insights page: incidents opened and resolved per day, MTTA and MTTR per ISO week, the noisiest jobs
 * and the jobs red longest: the figures of `GET /api/insights` ({@link Insights}), drawn as charts with
 * text summaries and data tables.
 */
import type { WeekTimes } from "../../insights/figures";
import type { InsightFilters, Insights } from "../../insights/store";
import { DEFAULT_DAYS, MAX_DAYS } from "../../insights/window";
import { BarChart } from "../charts/bars";
import { Layout } from "../shell/layout";
import { FlakyTests } from "./flaky-table";
import { NoisyJobs, RedJobs, roughDuration } from "./job-tables";

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

function daySummary(insights: Insights): string {
  const opened = sum(insights.per_day.map((d) => d.opened));
  const resolved = sum(insights.per_day.map((d) => d.resolved));
  const busiest = insights.per_day.reduce((a, b) => (b.opened > a.opened ? b : a), { day: "", opened: 0 });
  const peak =
    busiest.opened > 0 ? ` The busiest day was ${busiest.day}, with ${busiest.opened} opened.` : "";
  return `From ${insights.from} to ${insights.to} (UTC): ${opened} incidents opened and ${resolved} resolved.${peak}`;
}

function weekSummary(weeks: WeekTimes[], which: "mtta" | "mttr", done: string): string {
  const counted = weeks.filter((w) => w[which].count > 0);
  if (counted.length === 0) return `No incident opened in these weeks was ${done}.`;
  const last = counted.at(-1) as WeekTimes;
  const spread = last[which];
  return `${sum(counted.map((w) => w[which].count))} incidents ${done} over ${counted.length} of ${weeks.length} weeks. In ${last.week}, the latest with any, the median was ${roughDuration(spread.median_ms ?? 0)} and the 90th percentile ${roughDuration(spread.p90_ms ?? 0)}.`;
}

function WeekChart(props: {
  id: string;
  title: string;
  weeks: WeekTimes[];
  which: "mtta" | "mttr";
  done: string;
}) {
  return (
    <BarChart
      id={props.id}
      title={props.title}
      summary={weekSummary(props.weeks, props.which, props.done)}
      labels={props.weeks.map((w) => `${w.week} (from ${w.starts})`)}
      labelHeading="ISO week (UTC)"
      series={[
        { name: "Median", values: props.weeks.map((w) => w[props.which].median_ms) },
        { name: "90th percentile", values: props.weeks.map((w) => w[props.which].p90_ms) },
      ]}
      format={roughDuration}
    />
  );
}

export function InsightsPage(props: {
  nonce: string;
  insights: Insights;
  filters: InsightFilters;
  /** What was wrong with the filters asked for (the defaults are shown instead). */
  problem: string | null;
}) {
  const { insights, filters } = props;
  return (
    <Layout title="Insights" nonce={props.nonce}>
      <h1>Insights</h1>
      <p class="muted">
        Whole UTC days, the last {DEFAULT_DAYS} by default (at most {MAX_DAYS}). MTTA is the time from opened
        to acknowledged, MTTR from opened to resolved, per ISO week of the incidents opened in it; an incident
        still open counts in neither.
      </p>
      <form method="get" action="/insights" class="filters">
        <label>
          Source id
          <input type="search" name="source_id" value={filters.source_id ?? ""} />
        </label>
        <label>
          Job (full name)
          <input type="search" name="job" value={filters.job ?? ""} placeholder="acme/web-shop/main" />
        </label>
        <label>
          From
          <input type="date" name="from" value={insights.from} />
        </label>
        <label>
          To
          <input type="date" name="to" value={insights.to} />
        </label>
        <button type="submit">Show</button>
      </form>
      {props.problem && (
        <p class="error" role="alert">
          {props.problem}
        </p>
      )}
      <h2>Incidents per day</h2>
      <BarChart
        id="per-day"
        title="Incidents opened and resolved per day"
        summary={daySummary(insights)}
        labels={insights.per_day.map((d) => d.day)}
        labelHeading="Day (UTC)"
        series={[
          { name: "Opened", values: insights.per_day.map((d) => d.opened) },
          { name: "Resolved", values: insights.per_day.map((d) => d.resolved) },
        ]}
      />
      <h2>Time to acknowledge and to resolve</h2>
      <WeekChart id="mtta" title="MTTA per week" weeks={insights.per_week} which="mtta" done="acknowledged" />
      <WeekChart id="mttr" title="MTTR per week" weeks={insights.per_week} which="mttr" done="resolved" />
      <NoisyJobs
        id="noisiest-incidents"
        title="Noisiest jobs by incidents"
        counted="Incidents"
        rows={insights.noisiest_by_incidents}
        none="No job had an incident in these days."
      />
      <NoisyJobs
        id="noisiest-failing"
        title="Noisiest jobs by failing builds"
        counted="Failing builds"
        rows={insights.noisiest_by_failing_builds}
        none="No job had a failing build in these days."
      />
      <RedJobs rows={insights.red_longest} />
      <FlakyTests rows={insights.flakiest_tests} />
    </Layout>
  );
}
