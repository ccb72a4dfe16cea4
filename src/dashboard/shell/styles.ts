/**
 * The dashboard's whole stylesheet: system fonts, light and dark, readable on a phone. Text meets
 * WCAG AA (4.5:1) in both schemes: buttons have colours of their own (`--accent`/`--on-accent`,
 * `--danger`/`--on-danger`), since white on the dark scheme's light link colour measured 2.08:1.
 * Below 720 px, tables marked `stack` become one card per row, each cell headed by its column's name
 * (`data-label`), so nothing is hidden and nothing scrolls sideways.
 */
export const STYLES = `
:root { color-scheme: light dark; --bg: #f7f7f8; --fg: #1c1d21; --muted: #5f6470; --card: #fff; --line: #dfe1e6;
  --high: #b42318; --high-bg: #fde8e7; --medium: #8a5a00; --medium-bg: #fff1d6; --low: #3c4250; --low-bg: #eceef2;
  --ok: #146c2e; --ok-bg: #e3f4e8; --link: #1f5fbf; --accent: #1f5fbf; --on-accent: #fff; --danger: #b42318;
  --on-danger: #fff; --focus: #1f5fbf; }
@media (prefers-color-scheme: dark) { :root { --bg: #15171c; --fg: #e7e8ec; --muted: #a0a6b4; --card: #1d2027;
  --line: #323642; --high: #ffb4ab; --high-bg: #5c1a14; --medium: #ffd58a; --medium-bg: #4d3800; --low: #d2d6df;
  --low-bg: #343946; --ok: #9be4b0; --ok-bg: #17432a; --link: #8ab4ff; --accent: #8ab4ff; --on-accent: #0d1b33;
  --danger: #ffb4ab; --on-danger: #3b0a06; --focus: #8ab4ff; } }
* { box-sizing: border-box; }
[hidden] { display: none !important; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; background: var(--bg); color: var(--fg); }
a { color: var(--link); }
:focus-visible { outline: 2px solid var(--focus); outline-offset: 2px; }
.visually-hidden, .skip:not(:focus) { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0;
  overflow: hidden; clip-path: inset(50%); white-space: nowrap; border: 0; }
.skip:focus { position: absolute; top: .4rem; left: .4rem; z-index: 1; background: var(--card); padding: .4rem .7rem;
  border-radius: 6px; }
header.top { display: flex; gap: .5rem 1rem; align-items: center; padding: .6rem 1rem; background: var(--card);
  border-bottom: 1px solid var(--line); flex-wrap: wrap; }
header.top strong { margin-right: auto; }
header.top nav { display: flex; gap: .2rem .9rem; flex-wrap: wrap; }
header.top form { margin: 0; }
main { max-width: 1200px; margin: 0 auto; padding: 1rem; }
main:focus { outline: none; }
h1 { font-size: 1.35rem; margin: .2rem 0 1rem; overflow-wrap: anywhere; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 1rem; margin-bottom: 1rem;
  overflow-wrap: anywhere; }
table { width: 100%; border-collapse: collapse; background: var(--card); }
th, td { text-align: left; padding: .5rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
td { overflow-wrap: anywhere; }
th { font-size: .8rem; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); }
.muted, small { color: var(--muted); }
.badge { display: inline-block; padding: .05rem .45rem; border-radius: 999px; font-size: .78rem; font-weight: 600; white-space: nowrap; }
.p-HIGH, .s-failing, .s-open { background: var(--high-bg); color: var(--high); }
.p-MEDIUM, .s-stale, .s-running, .s-acknowledged { background: var(--medium-bg); color: var(--medium); }
.p-LOW, .s-quiet, .s-unknown, .s-silenced, .s-flaky { background: var(--low-bg); color: var(--low); }
.s-resolved, .s-passing, .k-RESOLVE { background: var(--ok-bg); color: var(--ok); }
.k-ALERT, .k-incident { background: var(--low-bg); color: var(--fg); }
.p-HIGH::before { content: "▲ "; } .p-MEDIUM::before { content: "● "; } .p-LOW::before { content: "▽ "; }
form.filters { display: flex; gap: .6rem; flex-wrap: wrap; align-items: end; margin-bottom: 1rem; }
label { display: grid; gap: .2rem; font-size: .85rem; color: var(--muted); }
input, select, textarea, button { font: inherit; padding: .4rem .55rem; border: 1px solid var(--line); border-radius: 6px;
  background: var(--card); color: var(--fg); max-width: 100%; }
button { cursor: pointer; background: var(--accent); color: var(--on-accent); border-color: var(--accent); }
button.danger { background: var(--danger); border-color: var(--danger); color: var(--on-danger); }
button.plain { background: none; color: var(--link); border: none; padding: 0; white-space: nowrap; }
textarea { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85rem; resize: vertical; }
form.policy { display: grid; gap: 1rem; }
.policy-globs { display: grid; gap: 1rem; grid-template-columns: repeat(auto-fit, minmax(min(16rem, 100%), 1fr)); }
fieldset { display: flex; flex-wrap: wrap; gap: .6rem 1rem; border: 1px solid var(--line); border-radius: 6px; margin: 0; }
legend { font-size: .85rem; color: var(--muted); padding: 0 .3rem; }
button.secondary { background: var(--card); color: var(--link); border-color: var(--accent); }
form.inline { display: inline-block; margin: 0 .3rem .3rem 0; }
form.act textarea { width: 100%; max-width: 40rem; }
/* The action a Teams card's link asked for: the button to press stands out. */
form.act button.ready { outline: 3px solid var(--medium); outline-offset: 2px; }
td.note { white-space: pre-wrap; }
.payload { overflow: auto; max-height: 28rem; background: var(--bg); border-radius: 6px; }
/* A payload's long lines scroll inside its region instead of widening the table around it. */
td .payload { width: 0; min-width: 100%; }
@media (min-width: 721px) { table.timeline td:last-child { width: 55%; } }
pre { margin: 0; padding: .6rem; font-size: .8rem; overflow-wrap: normal; }
code { font-size: .85em; overflow-wrap: anywhere; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .35rem 1rem; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; min-width: 0; }
.notice { border-left: 4px solid var(--medium); }
.error { color: var(--high); }
.narrow { max-width: 26rem; margin: 3rem auto; }
ul.deliveries { margin: 0; padding-left: 1rem; }
ul.deploys-before { margin: 0; padding-left: 1rem; }
details > summary { cursor: pointer; }
details > summary h3 { display: inline; font-size: 1rem; margin: 0; }
details[open] > summary { margin-bottom: .8rem; }
.settings td:first-child { color: var(--muted); white-space: nowrap; overflow-wrap: normal; }
/* Charts (src/dashboard/charts/): each mark's colour from its tone, which follows the scheme; text marks the result too. */
.tone-ok { --c: var(--ok); --c-bg: var(--ok-bg); } .tone-high { --c: var(--high); --c-bg: var(--high-bg); }
.tone-medium { --c: var(--medium); --c-bg: var(--medium-bg); } .tone-low { --c: var(--low); --c-bg: var(--low-bg); }
.tone-run { --c: var(--link); --c-bg: var(--card); }
.chart-cell { fill: var(--c-bg); stroke: var(--c); } .chart-sym { fill: var(--c); font-size: 13px; font-weight: 700; }
.strip-small .chart-sym { font-size: 10px; } .badge.result { background: var(--c-bg); color: var(--c); }
svg.strip { display: block; max-width: none; } svg.strip a:focus-visible .chart-cell { stroke: var(--focus); stroke-width: 3; }
.incident-strip { display: flex; flex-wrap: wrap; gap: .2rem .5rem; align-items: center; margin: .15rem 0 .3rem; }
.chart-scroll { overflow-x: auto; padding: .2rem 0; }
svg.trend { display: block; width: 100%; min-width: 32rem; height: auto; background: var(--card); }
.trend-axis { stroke: var(--line); } .trend-line { fill: none; stroke: var(--link); stroke-width: 2; }
.trend-point { fill: var(--link); } .trend-median { stroke: var(--medium); stroke-width: 1.5; stroke-dasharray: 6 4; }
.trend-label { fill: var(--muted); font-size: 12px; }
.trend-deploy line { stroke: var(--ok); stroke-width: 1.5; stroke-dasharray: 2 3; }
/* Bar charts (BarChart): the scheme's colours, so dark mode needs nothing more; the SVG scales to its column. */
figure.chart { margin: 0 0 1.2rem; background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: .8rem; }
figure.chart svg { display: block; width: 100%; height: auto; }
figure.chart text.axis { fill: var(--muted); font-size: 12px; }
figure.chart line.axis { stroke: var(--line); }
figure.chart figcaption p { margin: .5rem 0 .3rem; }
ul.legend { display: flex; flex-wrap: wrap; gap: .2rem 1rem; margin: 0 0 .4rem; padding: 0; list-style: none; font-size: .85rem; }
.swatch { display: inline-block; width: .8rem; height: .8rem; border-radius: 2px; vertical-align: -.05rem; }
.bar-0 { fill: var(--accent); background: var(--accent); }
.bar-1 { fill: var(--ok); background: var(--ok); }
.bar-2 { fill: var(--medium); background: var(--medium); }
.bar-3 { fill: var(--high); background: var(--high); }
table.chart-data { margin-top: .4rem; }
table.chart-data th[scope="row"] { font-size: inherit; text-transform: none; letter-spacing: 0; color: var(--fg); font-weight: normal; }
@media (max-width: 720px) {
  main { padding: .6rem; }
  header.top { padding: .5rem .6rem; }
  header.top strong { flex: 1 0 100%; }
  header.top nav { margin-right: auto; flex: 1 1 0; min-width: 0; }
  table.stack, table.stack tbody, table.stack tr, table.stack td { display: block; }
  table.stack { background: none; }
  table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
  table.stack tr { background: var(--card); border: 1px solid var(--line); border-radius: 8px; margin-bottom: .6rem;
    padding: .3rem .6rem; }
  table.stack td { position: relative; padding: .3rem 0 .3rem 7.5rem; min-height: 2rem; }
  table.stack td:last-child { border-bottom: none; }
  table.stack td:empty { display: none; }
  table.stack td::before { content: attr(data-label); position: absolute; left: 0; top: .4rem; width: 7rem;
    font-size: .8rem; color: var(--muted); }
  dl.facts { grid-template-columns: 1fr; gap: 0; }
  dl.facts dd { margin-bottom: .45rem; }
}
`;
