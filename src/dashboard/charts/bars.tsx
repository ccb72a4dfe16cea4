/**
 * A bar chart as inline SVG, drawn on the server (no script; the strict CSP holds: colours come from the
 * stylesheet's `bar-0` … classes (src/dashboard/shell/styles.ts), never from style attributes). Each chart carries a `<title>`
 * and a `<desc>` (its text summary, also shown under it), a legend in words, and its data as a table that a
 * screen reader reaches, so colour is never the only way to read it. One group of bars per label, one bar
 * per series; a missing value (null) draws no bar and reads "–" in the table.
 */
import type { Child } from "hono/jsx";

/** One series: its name (legend and table column) and a value per label. */
export interface BarSeries {
  name: string;
  values: readonly (number | null)[];
}

export interface BarChartProps {
  /** Unique on the page: the ids of the title and summary derive from it. */
  id: string;
  title: string;
  /** A sentence or two saying what the chart shows (its text alternative). */
  summary: string;
  /** What each group of bars is (a day, a week), and what its column is called in the table. */
  labels: readonly string[];
  labelHeading: string;
  series: readonly BarSeries[];
  /** A value as text, for the axis and the table. */
  format?: (value: number) => string;
}

const WIDTH = 600;
const HEIGHT = 180;
const LEFT = 4;
const TOP = 16;
const BOTTOM = 20;
/** Up to this many groups each get their label under the axis; more get the first, middle and last. */
const ALL_LABELS = 13;

/** Up to four series get their own colour class (`bar-0` …), in the order given. */
export function BarChart(props: BarChartProps): Child {
  const format = props.format ?? String;
  const max = Math.max(0, ...props.series.flatMap((s) => s.values.map((value) => value ?? 0)));
  const groupWidth = (WIDTH - LEFT) / Math.max(1, props.labels.length);
  const barWidth = (groupWidth * 0.8) / Math.max(1, props.series.length);
  const plot = HEIGHT - TOP - BOTTOM;
  const heightOf = (value: number) => (max === 0 ? 0 : (value / max) * plot);
  const n = props.labels.length;
  const labelled =
    n <= ALL_LABELS ? props.labels.map((_, i) => i) : [...new Set([0, Math.floor(n / 2), n - 1])];
  const anchorOf = (i: number) => (i === 0 && n > 1 ? "start" : i === n - 1 && n > 1 ? "end" : "middle");
  const labelX = (i: number) =>
    anchorOf(i) === "start"
      ? LEFT + i * groupWidth
      : anchorOf(i) === "end"
        ? LEFT + (i + 1) * groupWidth
        : LEFT + (i + 0.5) * groupWidth;
  return (
    <figure class="chart" id={props.id}>
      <svg
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        role="img"
        aria-labelledby={`${props.id}-title ${props.id}-desc`}
        focusable="false"
      >
        <title id={`${props.id}-title`}>{props.title}</title>
        <desc id={`${props.id}-desc`}>{props.summary}</desc>
        <text class="axis" x={LEFT} y={TOP - 4}>
          {max === 0 ? "no data" : `max ${format(max)}`}
        </text>
        <line class="axis" x1={LEFT} x2={WIDTH} y1={HEIGHT - BOTTOM} y2={HEIGHT - BOTTOM} />
        {labelled.map((i) => (
          <text class="axis" x={labelX(i).toFixed(1)} y={HEIGHT - 5} text-anchor={anchorOf(i)}>
            {props.labels[i]}
          </text>
        ))}
        {props.labels.map((label, i) =>
          props.series.map((series, s) => {
            const value = series.values[i] ?? null;
            if (value === null || value === 0) return null;
            const h = Math.max(1, heightOf(value));
            return (
              <rect
                class={`bar-${s % 4}`}
                x={(LEFT + i * groupWidth + groupWidth * 0.1 + s * barWidth).toFixed(1)}
                y={(HEIGHT - BOTTOM - h).toFixed(1)}
                width={Math.max(0.5, barWidth - 0.5).toFixed(1)}
                height={h.toFixed(1)}
              >
                <title>{`${label}: ${series.name} ${format(value)}`}</title>
              </rect>
            );
          }),
        )}
      </svg>
      <figcaption>
        <p>{props.summary}</p>
        <ul class="legend">
          {props.series.map((series, s) => (
            <li>
              <span class={`swatch bar-${s % 4}`} aria-hidden="true" /> {series.name}
            </li>
          ))}
        </ul>
      </figcaption>
      <details>
        <summary>{`${props.title}: the data as a table`}</summary>
        <table class="chart-data">
          <thead>
            <tr>
              <th scope="col">{props.labelHeading}</th>
              {props.series.map((series) => (
                <th scope="col">{series.name}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.labels.map((label, i) => (
              <tr>
                <th scope="row">{label}</th>
                {props.series.map((series) => {
                  const value = series.values[i] ?? null;
                  return <td>{value === null ? "–" : format(value)}</td>;
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
