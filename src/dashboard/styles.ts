/** The dashboard's whole stylesheet: system fonts, light and dark, readable on a phone. */
export const STYLES = `
:root { color-scheme: light dark; --bg: #f7f7f8; --fg: #1c1d21; --muted: #5f6470; --card: #fff; --line: #dfe1e6;
  --high: #b42318; --high-bg: #fde8e7; --medium: #8a5a00; --medium-bg: #fff1d6; --low: #3c4250; --low-bg: #eceef2;
  --ok: #146c2e; --ok-bg: #e3f4e8; --link: #1f5fbf; }
@media (prefers-color-scheme: dark) { :root { --bg: #15171c; --fg: #e7e8ec; --muted: #a0a6b4; --card: #1d2027;
  --line: #323642; --high: #ffb4ab; --high-bg: #5c1a14; --medium: #ffd58a; --medium-bg: #4d3800; --low: #d2d6df;
  --low-bg: #343946; --ok: #9be4b0; --ok-bg: #17432a; --link: #8ab4ff; } }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; background: var(--bg); color: var(--fg); }
a { color: var(--link); }
header.top { display: flex; gap: 1rem; align-items: center; padding: .6rem 1rem; background: var(--card);
  border-bottom: 1px solid var(--line); flex-wrap: wrap; }
header.top strong { margin-right: auto; }
header.top nav { display: flex; gap: .9rem; }
header.top form { margin: 0; }
main { max-width: 1200px; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.35rem; margin: .2rem 0 1rem; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 1rem; margin-bottom: 1rem; }
table { width: 100%; border-collapse: collapse; background: var(--card); }
th, td { text-align: left; padding: .5rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
th { font-size: .8rem; text-transform: uppercase; letter-spacing: .03em; color: var(--muted); }
.muted, small { color: var(--muted); }
.badge { display: inline-block; padding: .05rem .45rem; border-radius: 999px; font-size: .78rem; font-weight: 600; white-space: nowrap; }
.p-HIGH, .s-failing, .s-open { background: var(--high-bg); color: var(--high); }
.p-MEDIUM, .s-stale, .s-running { background: var(--medium-bg); color: var(--medium); }
.p-LOW, .s-quiet, .s-unknown { background: var(--low-bg); color: var(--low); }
.s-resolved, .s-passing, .k-RESOLVE { background: var(--ok-bg); color: var(--ok); }
.k-ALERT { background: var(--low-bg); color: var(--fg); }
.p-HIGH::before { content: "▲ "; } .p-MEDIUM::before { content: "● "; } .p-LOW::before { content: "▽ "; }
form.filters { display: flex; gap: .6rem; flex-wrap: wrap; align-items: end; margin-bottom: 1rem; }
label { display: grid; gap: .2rem; font-size: .85rem; color: var(--muted); }
input, select, button { font: inherit; padding: .4rem .55rem; border: 1px solid var(--line); border-radius: 6px;
  background: var(--card); color: var(--fg); }
button { cursor: pointer; background: var(--link); color: #fff; border-color: var(--link); }
button.danger { background: var(--high); border-color: var(--high); }
button.plain { background: none; color: var(--link); border: none; padding: 0; }
pre { overflow: auto; max-height: 28rem; background: var(--bg); padding: .6rem; border-radius: 6px; font-size: .8rem; }
code { font-size: .85em; overflow-wrap: anywhere; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .35rem 1rem; margin: 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.notice { border-left: 4px solid var(--medium); }
.error { color: var(--high); }
.narrow { max-width: 26rem; margin: 3rem auto; }
.settings td:first-child { color: var(--muted); white-space: nowrap; }
@media (max-width: 720px) {
  .wide { display: none; }
  th, td { padding: .45rem .35rem; }
  main { padding: .6rem; }
  /* A table wider than the phone scrolls by itself; the page never scrolls sideways. */
  table { display: block; overflow-x: auto; }
}
`;
