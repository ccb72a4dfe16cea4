#!/usr/bin/env node
/**
 * `node scripts/preflight.mjs`: stops at once, in one line, when this Node.js is outside package.json's
 * `engines.node` (the one place the supported range is written). Every npm script starts with it and
 * .ci/run asks it before deciding to install Node, so an old Node fails in the first second with what to
 * do, not a minute later with `Map.groupBy is not a function` or ERR_UNKNOWN_FILE_EXTENSION.
 *
 * It has to run on the very versions it rejects: plain JavaScript that Node 16 parses, no dependencies,
 * and only the range forms package.json uses (`^X.Y.Z`, `>=X.Y.Z`, joined by `||`).
 */
import { readFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const range = pkg.engines.node;

if (!satisfies(process.version, range)) {
  console.error(
    `${pkg.name} needs Node.js ${range}, but this is ${process.version}: ` +
      "run `nvm install` (it reads .nvmrc) or install one from https://nodejs.org, then `npm ci`.",
  );
  process.exit(1);
}

/** Whether `version` ("v22.18.0", "22.18.0-pre") is in `range`, a `||` list of `^X.Y.Z` / `>=X.Y.Z`. */
function satisfies(version, range) {
  const found = numbers(version);
  return range.split("||").some((part) => {
    const comparator = /^\s*(\^|>=)\s*v?(\d+\.\d+\.\d+)\s*$/.exec(part);
    if (!comparator) throw new Error(`preflight: cannot read "${part.trim()}" in engines.node "${range}"`);
    const floor = numbers(comparator[2]);
    // ^X.Y.Z: at least X.Y.Z within major X (every range here has X > 0).
    return compare(found, floor) >= 0 && (comparator[1] === ">=" || found[0] === floor[0]);
  });
}

function numbers(version) {
  return version.replace(/^v/, "").split(/[-+]/)[0].split(".").map(Number);
}

function compare(a, b) {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}
