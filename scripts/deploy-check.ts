/**
 * Usage: npm run deploy:check
 *
 * Builds exactly what `npm run deploy` would upload and checks it, offline: nothing remote is read or
 * changed, no login is needed. `wrangler deploy --dry-run` writes the bundle to .wrangler/deploy-check/
 * (with the multipart upload it would send, worker.bundle), and `wrangler check startup` runs that
 * bundle's startup in local workerd under a CPU profiler. Prints the bundle's size, raw and gzipped, the
 * startup's CPU time, and which bindings still have wrangler.toml's placeholder ids.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { parseCli } from "./lib/cli.ts";
import { startupCpuMs } from "./lib/startup.ts";

parseCli(import.meta.url, { name: "deploy:check", options: {} });

const OUT = path.join(".wrangler", "deploy-check");
const BUNDLE = path.join(OUT, "worker.bundle");
const PROFILE = path.join(OUT, "startup.cpuprofile");
const wrangler = path.join("node_modules", ".bin", "wrangler");
const KIB = 1024;

rmSync(OUT, { recursive: true, force: true });
// Output shown as wrangler prints it: the bindings table names what the Worker will be wired to.
execFileSync(wrangler, ["deploy", "--dry-run", "--outdir", OUT, "--outfile", BUNDLE], { stdio: "inherit" });
// Its own report repeats the sizes and adds caveats; shown only if it fails.
let startup: number;
try {
  startup = startupCpuMs(BUNDLE, PROFILE);
} catch (error) {
  const { stdout, stderr } = error as { stdout: Buffer; stderr: Buffer };
  process.stderr.write(Buffer.concat([stdout, stderr]));
  console.error("deploy:check: `wrangler check startup` failed (above)");
  process.exit(1);
}

const upload = await new Response(readFileSync(BUNDLE), {
  headers: { "Content-Type": `multipart/form-data; boundary=${boundary(BUNDLE)}` },
}).formData();
const metadata = JSON.parse(String(upload.get("metadata"))) as UploadMetadata;
// The Worker's modules as uploaded, source maps aside (as in wrangler's "Total Upload").
const modules: Buffer[] = [];
for (const [name, part] of upload) {
  if (name !== "metadata" && !name.endsWith(".map"))
    modules.push(Buffer.from(await (part as File).arrayBuffer()));
}
const raw = modules.reduce((sum, module) => sum + module.length, 0);
const gzip = modules.reduce((sum, module) => sum + gzipSync(module).length, 0);
const placeholders = metadata.bindings.filter((b) => /^[0-]+$/.test(b.namespace_id ?? b.id ?? "x"));

console.log(`
deploy:check: what \`npm run deploy\` would upload, built offline (nothing uploaded or changed, no login)
  bundle   ${kib(raw)}, ${kib(gzip)} gzipped (${modules.length} module${modules.length === 1 ? "" : "s"}, in ${OUT}/)
  startup  ${startup.toFixed(1)} ms of CPU in a local profile (Cloudflare allows 1 s): ${PROFILE}`);
if (placeholders.length > 0) {
  const names = placeholders.map((b) => `${b.name} (${b.type})`).join(" and ");
  console.log(`  to do    wrangler.toml still has placeholder ids for ${names}: see docs/deploying.md`);
}

interface UploadMetadata {
  bindings: { name: string; type: string; id?: string; namespace_id?: string }[];
}

/** The multipart boundary: the upload's first line, without its leading dashes. */
function boundary(file: string): string {
  return readFileSync(file, "utf8").split(/\r?\n/, 1)[0]?.slice(2) ?? "";
}

function kib(bytes: number): string {
  return `${(bytes / KIB).toFixed(2)} KiB`;
}
