/**
 * A duration trend: one point per finished build (oldest on the left, coloured and shaped by nothing
 * but position: the strip and the table carry the results), the line through them, and the median as a
 * dashed line with its value written on it, and the source's deploys as vertical markers placed by time
 * between the builds around them. Inline SVG with a `<title>` and a `<desc>` summary; the page puts the
 * data table and the list of deploys beside it.
 */
import type { Deploy } from "../../alerts/deploys";
import { formatDuration } from "../../core/build-context";
import type { HistoryBuild } from "../../jobs/history";

const W = 600;
const H = 180;
const PAD = { left: 8, right: 8, top: 22, bottom: 22 };

/** The sentence that sums the trend up (also the SVG's `<desc>`). */
export function trendSummary(
  builds: HistoryBuild[],
  medianMs: number | null,
  deploys: Deploy[] = [],
): string {
  const timed = builds.filter((b) => b.finished && b.duration_ms !== null);
  if (timed.length === 0) return "No finished build with a duration yet.";
  const durations = timed.map((b) => b.duration_ms as number);
  const [newest] = timed;
  const placed = deploys.filter((d) => withinSpan(timed, d));
  return [
    `${timed.length} finished builds, from #${timed.at(-1)?.build_number} to #${newest?.build_number}.`,
    `Median ${medianMs === null ? "–" : formatDuration(medianMs)},`,
    `shortest ${formatDuration(Math.min(...durations))}, longest ${formatDuration(Math.max(...durations))},`,
    `newest ${formatDuration(newest?.duration_ms as number)}.`,
    placed.length === 0
      ? ""
      : `Deploys marked: ${placed.map((d) => `${d.job_path} #${d.build_number}`).join(", ")}.`,
  ]
    .filter(Boolean)
    .join(" ");
}

/** Whether a deploy finished between the oldest and the newest of `timed` (any order), where the trend marks it. */
function withinSpan(timed: HistoryBuild[], deploy: Deploy): boolean {
  const times = timed.map((b) => Date.parse(b.at));
  const at = Date.parse(deploy.finished_at);
  return at >= Math.min(...times) && at <= Math.max(...times);
}

/**
 * Where a deploy goes on a trend of `timed` builds (oldest first, `x` of each index): between the two
 * builds first heard of around its finish, in proportion to the time; null outside the trend's span.
 */
function deployX(timed: HistoryBuild[], deploy: Deploy, x: (i: number) => number): number | null {
  const at = Date.parse(deploy.finished_at);
  const times = timed.map((b) => Date.parse(b.at));
  if (!withinSpan(timed, deploy)) return null;
  const after = times.findIndex((t) => t >= at);
  if (after === 0) return x(0);
  const [t0, t1] = [times[after - 1] as number, times[after] as number];
  return x(after - 1) + ((x(after) - x(after - 1)) * (at - t0)) / Math.max(1, t1 - t0);
}

/** `builds` newest first; `id` prefixes the ids the title and summary are referred to by. */
export function DurationTrend(props: {
  builds: HistoryBuild[];
  medianMs: number | null;
  /** The source's deploys over the period, as markers ({@link deploysBetween}). */
  deploys?: Deploy[];
  title: string;
  id: string;
}) {
  const timed = props.builds.filter((b) => b.finished && b.duration_ms !== null).reverse();
  const max = Math.max(1, ...timed.map((b) => b.duration_ms as number), props.medianMs ?? 0);
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (timed.length > 1 ? (i * plotW) / (timed.length - 1) : plotW / 2);
  const y = (ms: number) => PAD.top + plotH - (ms * plotH) / max;
  const points = timed.map((b, i) => `${x(i).toFixed(1)},${y(b.duration_ms as number).toFixed(1)}`);
  const median = props.medianMs;
  const markers = (props.deploys ?? []).flatMap((deploy) => {
    const at = deployX(timed, deploy, x);
    return at === null ? [] : [{ deploy, at }];
  });
  return (
    <svg
      class="trend"
      role="img"
      aria-labelledby={`${props.id}-title ${props.id}-desc`}
      viewBox={`0 0 ${W} ${H}`}
    >
      <title id={`${props.id}-title`}>{props.title}</title>
      <desc id={`${props.id}-desc`}>{trendSummary(props.builds, median, props.deploys)}</desc>
      <line class="trend-axis" x1={PAD.left} y1={PAD.top + plotH} x2={W - PAD.right} y2={PAD.top + plotH} />
      <text class="trend-label" x={PAD.left} y={14}>
        {formatDuration(max)}
      </text>
      {markers.map(({ deploy, at }) => (
        <g class="trend-deploy">
          <title>{`Deploy ${deploy.job_path} #${deploy.build_number}`}</title>
          <line x1={at} y1={PAD.top} x2={at} y2={PAD.top + plotH} />
          <text class="trend-label" x={at} y={PAD.top - 4} text-anchor="middle">
            ▲
          </text>
        </g>
      ))}
      {points.length > 1 && <polyline class="trend-line" points={points.join(" ")} />}
      {timed.map((b, i) => (
        <circle class="trend-point" cx={x(i)} cy={y(b.duration_ms as number)} r={3} />
      ))}
      {median !== null && (
        <>
          <line class="trend-median" x1={PAD.left} y1={y(median)} x2={W - PAD.right} y2={y(median)} />
          <text class="trend-label" x={W - PAD.right} y={y(median) - 4} text-anchor="end">
            median {formatDuration(median)}
          </text>
        </>
      )}
      {timed.length > 0 && (
        <>
          <text class="trend-label" x={PAD.left} y={H - 4}>
            #{timed[0]?.build_number}
          </text>
          <text class="trend-label" x={W - PAD.right} y={H - 4} text-anchor="end">
            #{timed.at(-1)?.build_number}
          </text>
        </>
      )}
    </svg>
  );
}
