/**
 * `npm run bench:globs`: what glob matching costs one delivery at the bounds (docs/performance.md
 * "Globs"). Worst-case globs at MAX_GLOB_LENGTH / MAX_GLOB_WILDCARDS / MAX_GLOB_SEGMENTS, as many as the
 * bounds allow (a policy's lists, the silences in force, the destinations), each a distinct string so no
 * cache helps, against worst-case job paths: one 4,096-character segment, 683 one-character segments
 * (the deepest a 4,096-character URL of `job/x/` can be), and ten 255-character names (Jenkins keeps
 * an item in a directory named after it, so a real name is at most 255 bytes). Runs the Worker's own
 * domain code in Node (the same V8 as workerd); prints the best of several rounds, in CPU time,
 * and asserts nothing.
 */
import { register } from "node:module";

// src/ imports without extensions (the bundler resolves them); Node needs `.ts` added.
register(
  `data:text/javascript,${encodeURIComponent(`
    export async function resolve(specifier, context, next) {
      if (/^\\.\\.?\\//.test(specifier) && !/\\.[cm]?[jt]s$/.test(specifier)) {
        try { return await next(specifier + ".ts", context); } catch {}
      }
      return next(specifier, context);
    }`)}`,
  import.meta.url,
);

// Loaded by URL: the scripts' own type check (Node's module rules, no Workers types) stays out of src/.
const load = (path: string) => import(new URL(path, import.meta.url).href);
const { MAX_GLOB_LENGTH, MAX_GLOB_WILDCARDS, globProblem } = await load("../src/platform/glob.ts");
const { MAX_GLOBS, keepsJob, parsePolicy } = await load("../src/sources/policy.ts");
const { isSilenced } = await load("../src/silences/rules.ts");
const { routes } = await load("../src/notify/destinations/match.ts");
const { MAX_SILENCES_IN_FORCE } = await load("../src/silences/store.ts");
const { MAX_DESTINATIONS } = await load("../src/notify/destinations/writes.ts");

// Flat strings, as a delivery's parsed JSON gives them (`repeat` builds a tree of concatenations).
const flat = (text: string) => JSON.parse(JSON.stringify(text)) as string;
const PATHS: Record<string, string> = {
  "one 4,096-character segment": flat("a".repeat(4096)),
  "683 one-character segments": flat(Array(683).fill("a").join("/")),
  "ten 255-character names": flat(Array(10).fill("a".repeat(255)).join("/")),
};
/** A branch at its bound (256 bytes, src/core/bounds.ts). */
const BRANCH = flat("a".repeat(256));

/** Glob shapes that make this matcher work hardest, each made distinct by `i` and kept within bounds. */
const SHAPES: Record<string, (i: number) => string> = {
  "`*` then a long run (indexOf on a periodic text)": (i) =>
    `*${"a".repeat(MAX_GLOB_LENGTH - 12)}b${i.toString(36).padStart(4, "0")}*`,
  "runs with `?` (bit-parallel scan)": (i) => `*${"a?".repeat(MAX_GLOB_WILDCARDS - 2)}b${i}*`,
  "`**` first, then `*`-segments": (i) => `**/${"*a*/".repeat(2)}a*/*b${i}*`,
  "`*`-segments, then `**`": (i) => `${"*a*/".repeat(2)}a*/*b${i}*/**`,
};

/**
 * The fastest of several rounds, in CPU milliseconds per run: the process's own CPU time, not the wall
 * clock, so other work on a shared machine does not count (it still slows caches down a little).
 */
function best(run: () => void): number {
  for (let i = 0; i < 20; i++) run();
  let fastest = Number.POSITIVE_INFINITY;
  for (let round = 0; round < 7; round++) {
    const started = process.cpuUsage();
    for (let i = 0; i < 20; i++) run();
    const used = process.cpuUsage(started);
    fastest = Math.min(fastest, (used.user + used.system) / 1000 / 20);
  }
  return fastest;
}

const describe = (ms: Record<string, number>) =>
  Object.entries(ms)
    .map(([name, value]) => `${name} ${value.toFixed(3)} ms`)
    .join(", ");

let made = 0;
/** `count` globs of one shape, each a string never made before, all within the bounds. */
const globs = (shape: (i: number) => string, count: number): string[] =>
  Array.from({ length: count }, () => shape(made++)).map((glob) => {
    if (globProblem(glob)) throw new Error(`over the bounds: ${globProblem(glob)}`);
    return glob;
  });

console.log(
  `bounds: ${MAX_GLOBS} globs a list, ${MAX_SILENCES_IN_FORCE} silences, ${MAX_DESTINATIONS} destinations`,
);
const worst = { policy: 0, silences: 0, failing: 0, destinations: 0 };
for (const [pathName, path] of Object.entries(PATHS)) {
  for (const [shapeName, shape] of Object.entries(SHAPES)) {
    // Every glob is tried: none matches but the `**` closing each include list (so the exclude lists
    // are asked too).
    const policy = parsePolicy({
      jobs: {
        include: [...globs(shape, MAX_GLOBS - 1), "**"],
        exclude: globs(shape, MAX_GLOBS),
      },
      branches: {
        include: [...globs(shape, MAX_GLOBS - 1), "**"],
        exclude: globs(shape, MAX_GLOBS),
      },
    });
    const silences = globs(shape, MAX_SILENCES_IN_FORCE).map((job, id) => ({
      id,
      match: { source_id: null, job, branch: null },
      starts_at: "2020-01-01T00:00:00.000Z",
      ends_at: "2100-01-01T00:00:00.000Z",
      ended_at: null,
      recurrence: null,
      comment: "",
      created_by: null,
      created_at: "2020-01-01T00:00:00.000Z",
    }));
    const destinations = globs(shape, MAX_DESTINATIONS).map((job) => ({
      match: { job },
    }));
    const at = new Date("2030-01-01T00:00:00Z");
    const incident = {
      source_id: "s",
      job_path: path,
      branch: BRANCH,
      priority: "HIGH",
      kind: "failure",
    } as const;
    const ms = {
      policy: best(() => keepsJob(policy, path, BRANCH)),
      silences: best(() => isSilenced(silences, { sourceId: "s", jobPath: path, branch: BRANCH }, at)),
      // A failing build's delivery asks both.
      failing: best(() => {
        keepsJob(policy, path, BRANCH);
        isSilenced(silences, { sourceId: "s", jobPath: path, branch: BRANCH }, at);
      }),
      destinations: best(() => destinations.filter((d) => routes(d, incident))),
    };
    for (const key of Object.keys(worst) as (keyof typeof worst)[])
      worst[key] = Math.max(worst[key], ms[key]);
    console.log(`${pathName} · ${shapeName}: ${describe(ms)}`);
  }
}
console.log(`worst: ${describe(worst)}`);
// What one read of the longest path costs on this machine, to compare machines by.
const text = PATHS["one 4,096-character segment"] as string;
let sum = 0;
const loop = best(() => {
  for (let i = 0; i < text.length; i++) sum += text.charCodeAt(i);
});
console.log(
  `reference: one charCodeAt loop over 4,096 characters ${(loop * 1000).toFixed(1)} µs (${sum > 0})`,
);
