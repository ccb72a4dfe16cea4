/**
 * What `npm run dev`, the soak, the benchmark and the browser tests all do to a local Worker: apply
 * migrations/ to a local D1 (as `npm run db:migrate:local` does), and wait until it answers /healthz.
 */
import { execFile, execFileSync } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";

export const WRANGLER = path.join("node_modules", ".bin", "wrangler");

/** Applies migrations/ to the local D1 under `persistTo` (wrangler keeps it in `<persistTo>/v3`). */
export function migrateLocal(persistTo: string, options: { show?: boolean } = {}): void {
  execFileSync(WRANGLER, migrateArgs(persistTo), {
    stdio: options.show ? ["ignore", "inherit", "inherit"] : "ignore",
    env: { ...process.env, CI: "true" },
  });
}

/** {@link migrateLocal} without blocking this process: for a Worker started while other work goes on. */
export function migrateLocalInBackground(persistTo: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(WRANGLER, migrateArgs(persistTo), { env: { ...process.env, CI: "true" } }, (error, _out, err) =>
      error ? reject(new Error(`${error.message}\n${err}`)) : resolve(),
    );
  });
}

const migrateArgs = (persistTo: string) => [
  "d1",
  "migrations",
  "apply",
  "DB",
  "--local",
  "--persist-to",
  persistTo,
];

/** Resolves once `${base}/healthz` answers 200; throws after `timeoutMs`, with `detail()` if given. */
export async function waitForHealth(
  base: string,
  { timeoutMs = 60_000, detail }: { timeoutMs?: number; detail?: () => string } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(new URL("/healthz", base))).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${base}/healthz did not answer${detail ? `:\n${detail()}` : ""}`);
}

/** A free loopback port (one a server of ours just released: nothing listens on it now). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
