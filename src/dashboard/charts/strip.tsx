/**
 * A history strip: one cell per build, oldest on the left, each cell a link to the build's alert with
 * a colour AND a symbol for its result (colour is never the only signal) and a name a screen reader
 * reads ("Build #12: failure"). Inline SVG; colours come from the stylesheet's classes (`tone-…`), so
 * dark mode and the CSP (no style attributes) hold.
 */
import { BUILD_RESULTS, type BuildResult, type HistoryBuild, resultOf } from "../../jobs/history";

/** Each result's symbol, word and colour (a class of the stylesheet). */
export const RESULT_LOOK: Record<BuildResult, { symbol: string; word: string; tone: string }> = {
  success: { symbol: "✓", word: "success", tone: "ok" },
  failure: { symbol: "✗", word: "failure", tone: "high" },
  unstable: { symbol: "!", word: "unstable", tone: "medium" },
  aborted: { symbol: "–", word: "aborted", tone: "low" },
  not_built: { symbol: "○", word: "not built", tone: "low" },
  running: { symbol: "…", word: "running", tone: "run" },
};

/** "12 builds: 9 ✓ success, 3 ✗ failure", counted over `builds`, results in {@link BUILD_RESULTS} order. */
export function resultCounts(builds: HistoryBuild[]): string {
  const parts = BUILD_RESULTS.flatMap((result) => {
    const n = builds.filter((build) => resultOf(build) === result).length;
    return n === 0 ? [] : [`${n} ${RESULT_LOOK[result].symbol} ${RESULT_LOOK[result].word}`];
  });
  return `${builds.length} ${builds.length === 1 ? "build" : "builds"}: ${parts.join(", ")}`;
}

/** How a build reads out: "Build #12: failure". */
export const buildName = (build: HistoryBuild) =>
  `Build #${build.build_number}: ${RESULT_LOOK[resultOf(build)].word}`;

/**
 * `builds` newest first (as stored reads them), drawn oldest first; `title` names the strip (its SVG
 * `<title>`); `small` draws the strip beside an incident.
 */
export function HistoryStrip(props: { builds: HistoryBuild[]; title: string; small?: boolean }) {
  const cell = props.small ? 16 : 22;
  const gap = 2;
  const ordered = [...props.builds].reverse();
  const width = Math.max(ordered.length * (cell + gap) - gap, 1);
  return (
    <svg
      class={props.small ? "strip strip-small" : "strip"}
      aria-label={props.title}
      viewBox={`0 0 ${width} ${cell}`}
      width={width}
      height={cell}
    >
      <title>{props.title}</title>
      {ordered.map((build, i) => {
        const look = RESULT_LOOK[resultOf(build)];
        const x = i * (cell + gap);
        return (
          <a href={`/alerts/${build.alert_id}`} class={`tone-${look.tone}`} aria-label={buildName(build)}>
            <title>{buildName(build)}</title>
            <rect class="chart-cell" x={x + 0.5} y={0.5} width={cell - 1} height={cell - 1} rx={3} />
            <text
              class="chart-sym"
              x={x + cell / 2}
              y={cell / 2}
              text-anchor="middle"
              dominant-baseline="central"
            >
              {look.symbol}
            </text>
          </a>
        );
      })}
    </svg>
  );
}
