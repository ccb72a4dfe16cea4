/**
 * The import rules of src/ (docs/architecture.md), kept by dependency-cruiser in `npm run lint`
 * (`depcruise src --config .dependency-cruiser.cjs --output-type err-long`, from the root of the tree it
 * checks: scripts/test/import-rules.test.ts runs it so on small trees of its own).
 *
 * Every fact is written once: {@link LAYERS} is the order, bottom to top, and the rules below are generated
 * from it. A module may import its own folder and anything lower, never a higher layer or a sibling.
 * Type-only imports count (`import type` is a dependency too: a type from above ties a lower layer to it).
 */

/** Where the reasons are written down, named in every message. */
const SEE = "see docs/architecture.md";

/**
 * The layers of src/, bottom to top: each a folder of src/, or a group of folders or root files. A module
 * may import its own folder and everything in an earlier layer; `apart` members may not import each other.
 * `why` says why a layer may not import what comes after it.
 */
const LAYERS = [
  { members: ["platform"], why: "platform code knows no feature and no Jenkins word" },
  { members: ["core"], why: "the Jenkins vocabulary knows no feature" },
  ...[
    "audit",
    "people",
    "sources",
    "silences",
    "heartbeats",
    "jobs",
    "flaky",
    "alerts",
    "incidents",
    "notify",
    "ingest",
    "dead-letters",
    "operations",
    "slack",
    "insights",
  ].map((feature) => ({
    members: [feature],
    why: "features depend only on features below them (never on the routes, the dashboard or an entry point)",
  })),
  {
    members: ["routes", "dashboard"],
    why: "the API routes and the dashboard are two faces over the features: neither uses the other, nor an entry point",
    apart: true,
  },
  {
    members: ["index.ts", "scheduled.ts", "queues.ts"],
    why: "the entry points wire the rest together (they may use each other)",
  },
];

/** Receivers of notifications, one folder each under src/notify/. */
const RECEIVERS = ["slack", "teams", "webhook"];

/** Folders of the repository that src/ never reaches into. */
const OUTSIDE_SRC = ["test", "scripts", "fixtures", "e2e", "bench"];

/** `src/<member>` as a path pattern: a folder matches everything under it, a root file itself. */
const pathOf = (member) =>
  member.endsWith(".ts") ? `^src/${member.replace(/\./g, "\\.")}$` : `^src/${member}/`;
/** `src/<member>` as a reader sees it. */
const nameOf = (member) => `src/${member}`;

/**
 * One rule per forbidden (from, to) pair: a higher layer, or a sibling in the same layer. One rule per
 * pair makes the message say exactly which two folders, and why.
 */
const layerRules = LAYERS.flatMap((layer, index) =>
  layer.members.flatMap((from) => {
    const siblings = layer.apart ? layer.members.filter((member) => member !== from) : [];
    const higher = LAYERS.slice(index + 1).flatMap((above) => above.members);
    return [...siblings, ...higher].map((to) => ({
      name: `layers: ${nameOf(from)} -> ${nameOf(to)}`,
      comment: `${nameOf(from)} may not import ${nameOf(to)}: ${layer.why}; ${SEE}`,
      severity: "error",
      from: { path: pathOf(from) },
      to: { path: pathOf(to) },
    }));
  }),
);

/** Every module of src/ sits in a layer (or it would escape the rules above). */
const placed = [
  ...LAYERS.flatMap((layer) => layer.members.map(pathOf)),
  "^src/worker-configuration\\.d\\.ts$",
];

module.exports = {
  forbidden: [
    ...layerRules,
    ...[
      { from: { path: "^src/", pathNot: placed }, to: { path: "^src/" } },
      { from: { path: "^src/" }, to: { path: "^src/", pathNot: placed } },
    ].map(({ from, to }) => ({
      name: "layers: unplaced module",
      comment: `a module of src/ outside every layer escapes the rules above: move it into a layer, or add its folder to LAYERS in .dependency-cruiser.cjs and to docs/architecture.md`,
      severity: "error",
      from,
      to,
    })),
    {
      name: "dashboard: shell -> feature pages",
      comment: `src/dashboard/shell may not import a dashboard feature folder: the shell (layout, styles, session, forms) serves every page and knows none of them; ${SEE}`,
      severity: "error",
      from: { path: "^src/dashboard/shell/" },
      to: { path: "^src/dashboard/", pathNot: "^src/dashboard/shell/" },
    },
    {
      name: "notify: receiver -> receiver",
      comment: `a receiver under src/notify (${RECEIVERS.join(", ")}) may not import another receiver: each renders its own message, shared code goes in src/notify itself; ${SEE}`,
      severity: "error",
      from: { path: `^src/notify/(${RECEIVERS.join("|")})/` },
      to: { path: `^src/notify/(${RECEIVERS.join("|")})/`, pathNot: "^src/notify/$1/" },
    },
    {
      name: "rules are pure",
      comment: `a rules.ts file holds pure decisions: it may not import a store, SQL, actions, a cache or the clock (decide from arguments; the caller reads); ${SEE}`,
      severity: "error",
      from: { path: "(^|/)rules\\.ts$" },
      to: {
        path: ["(^|/)(store|actions|cache|[a-z-]*sql|[a-z-]*-cache)\\.ts$", "^src/platform/clock\\.ts$"],
      },
    },
    {
      name: "no cycles",
      comment: `src/ has no circular imports (type-only ones included): a cycle means two modules are one, or one belongs lower; ${SEE}`,
      severity: "error",
      from: { path: "^src/" },
      to: { circular: true },
    },
    {
      name: "src -> outside src",
      comment: `src/ never imports ${OUTSIDE_SRC.map((dir) => `${dir}/`).join(", ")}: the Worker ships without them; ${SEE}`,
      severity: "error",
      from: { path: "^src/" },
      to: { path: `^(${OUTSIDE_SRC.join("|")})/` },
    },
    {
      name: "unresolvable import",
      comment:
        "an import in src/ that dependency-cruiser cannot resolve is one the rules above cannot see: fix the path (or teach .dependency-cruiser.cjs the resolution)",
      severity: "error",
      from: { path: "^src/" },
      to: { couldNotResolve: true, pathNot: "^cloudflare:" },
    },
  ],
  options: {
    // Only src/ is ruled; node_modules is a leaf.
    doNotFollow: { path: "node_modules" },
    // The TypeScript 7.0 compiler has no in-process API dependency-cruiser can use (7.1 will): swc parses
    // .ts and .tsx and keeps `import type` as "type-only" dependencies, counted like any other.
    parser: "swc",
    // Read only through that API, so ignored until TypeScript 7.1; what tsconfig.json says about resolution
    // is therefore also written below: "moduleResolution": "bundler" (package exports, the import
    // condition) and .ts/.tsx sources imported without an extension or with one
    // (allowImportingTsExtensions). It has no `paths` or `baseUrl`.
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      extensions: [".ts", ".tsx", ".d.ts", ".js"],
      exportsFields: ["exports"],
      conditionNames: ["import", "types", "default"],
      mainFields: ["module", "main", "types"],
    },
  },
};
