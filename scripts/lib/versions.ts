/** The versions a benchmark result was measured with. */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";

export function versions() {
  const packageVersion = (name: string) =>
    JSON.parse(readFileSync(path.join("node_modules", name, "package.json"), "utf8")).version as string;
  return {
    node: process.version,
    wrangler: packageVersion("wrangler"),
    miniflare: packageVersion("miniflare"),
    workerd: execFileSync(path.join("node_modules", ".bin", "workerd"), ["--version"])
      .toString()
      .trim(),
  };
}
