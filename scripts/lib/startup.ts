/**
 * A bundle's startup CPU, as `wrangler check startup` measures it: the upload run in local workerd under
 * a CPU profiler. Shared by `npm run deploy:check` and the benchmark.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { WRANGLER } from "./local-state.ts";

/** What `wrangler check startup` writes (a V8 CPU profile), as far as {@link activeMs} reads it. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string } }[];
  samples: number[];
  timeDeltas: number[];
}

/**
 * Profiles the startup of `upload` (the multipart file `wrangler deploy --dry-run --outfile` writes)
 * into `profile` and returns its CPU time in ms. Throws with wrangler's output when the check fails.
 */
export function startupCpuMs(upload: string, profile: string): number {
  execFileSync(WRANGLER, ["check", "startup", "--worker", upload, "--outfile", profile], { stdio: "pipe" });
  return activeMs(JSON.parse(readFileSync(profile, "utf8")) as CpuProfile);
}

/** The profile's active (non-idle) sampled time in ms, summed as `wrangler check startup` sums it. */
export function activeMs(profile: CpuProfile): number {
  const names = new Map(profile.nodes.map((node) => [node.id, node.callFrame.functionName]));
  let active = 0;
  profile.timeDeltas.forEach((delta, i) => {
    if (names.get(profile.samples[i] ?? 0) !== "(idle)") active += delta;
  });
  return active / 1000;
}
