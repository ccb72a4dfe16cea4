/**
 * `npm run dev -- --as <email>`: a simulated Cloudflare Access in front of `wrangler dev`, so the dashboard
 * and the API can be tried as a signed-in person. It makes a key pair at start, serves its public half on a
 * loopback certs endpoint (scripts/lib/access-keys-server.ts), hands `wrangler dev` the Access vars that
 * point the Worker at it, and puts a loopback proxy in front of the Worker that adds a freshly signed
 * `Cf-Access-Jwt-Assertion` for that email to every request, as Access does. The Worker verifies it like
 * any other assertion: nothing in src/ knows about this, and the private key never leaves this process.
 *
 * Local development only ({@link refusalOutsideLocalDev}): never with `--remote`, a named environment, or
 * in CI or production settings.
 */
import { randomBytes } from "node:crypto";
import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { generateAccessKey, keySet, signAssertion } from "../../fixtures/access-signer.ts";
import { startAccessKeysServer } from "./access-keys-server.ts";

/** The simulated team: `.localhost` is reserved, so this can be no real Access team. */
export const SIMULATED_TEAM = "simulated-access.localhost";
const CERTS_PATH = "/cdn-cgi/access/certs";
/** How long each assertion is valid (it is signed again for every request). */
const ASSERTION_TTL_S = 300;
/** Headers Access sets itself, dropped from what the browser sent so none can be smuggled through. */
const ACCESS_HEADERS = ["cf-access-jwt-assertion", "cf-access-authenticated-user-email"];

/** `--as <email>` or `--as=<email>` taken out of `args`: the email (null without `--as`) and the rest. */
export function takeAsOption(args: string[]): { as: string | null; rest: string[] } {
  const rest: string[] = [];
  let as: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--as" || arg.startsWith("--as=")) {
      const value = arg === "--as" ? args[++i] : arg.slice("--as=".length);
      if (!value || !/^[^\s@]+@[^\s@]+$/.test(value))
        throw new Error("--as needs an email, e.g. --as alice@example.com");
      as = value;
    } else rest.push(arg);
  }
  return { as, rest };
}

/**
 * Why `--as` must not run here, or null when this is local development: not in CI (`CI`, Workers Builds'
 * `WORKERS_CI`), not with `NODE_ENV=production`, and not with wrangler arguments that leave the local
 * Worker (`--remote`) or pick a deployment's environment (`--env`).
 */
export function refusalOutsideLocalDev(env: NodeJS.ProcessEnv, wranglerArgs: string[]): string | null {
  const set = (name: string) =>
    Boolean(env[name]) && !["0", "false"].includes(String(env[name]).toLowerCase());
  if (set("CI") || set("WORKERS_CI")) return "--as is for local development, and this looks like CI";
  if (env.NODE_ENV === "production") return "--as is for local development, and NODE_ENV is production";
  const leaving = wranglerArgs.find((arg) => /^(--remote|-r|--env|-e)(=|$)/.test(arg));
  if (leaving) return `--as runs only against the local Worker, not with ${leaving.split("=")[0]}`;
  return null;
}

export interface SimulatedAccess {
  /** `wrangler dev` arguments: the Access vars pointing the Worker at the simulated team. */
  wranglerArgs: string[];
  /** Starts the signing proxy in front of the Worker at `workerBase`; resolves with its URL. */
  proxy(workerBase: string, port?: number): Promise<string>;
  close(): Promise<void>;
}

/** A simulated Access that signs every request as `email` (the Worker also needs ALLOW_PRIVATE_DESTINATIONS). */
export async function startSimulatedAccess(email: string): Promise<SimulatedAccess> {
  const key = await generateAccessKey();
  const keys = await startAccessKeysServer();
  keys.serve(CERTS_PATH, JSON.stringify(keySet(key)));
  const aud = randomBytes(32).toString("hex");
  const closers: (() => Promise<void>)[] = [() => keys.close()];
  const assertion = () => {
    const at = Math.floor(Date.now() / 1000);
    return signAssertion(key, {
      aud: [aud],
      iss: `https://${SIMULATED_TEAM}`,
      iat: at,
      nbf: at,
      exp: at + ASSERTION_TTL_S,
      email,
      country: "XX",
    });
  };
  return {
    wranglerArgs: [
      ...["--var", `ACCESS_TEAM_DOMAIN:${SIMULATED_TEAM}`],
      ...["--var", `ACCESS_AUD:${aud}`],
      ...["--var", `ACCESS_CERTS_URL:${keys.url}${CERTS_PATH}`],
    ],
    async proxy(workerBase, port = 0) {
      const target = new URL(workerBase);
      const server = createServer(async (req, res) => {
        // The Host stays the browser's, as behind Access: the Worker sees its own URL as the proxy's, so
        // redirects and the dashboard's same-origin check agree with what the browser opened.
        const headers = { ...req.headers };
        for (const name of ACCESS_HEADERS) delete headers[name];
        headers["cf-access-jwt-assertion"] = await assertion();
        const upstream = request(
          { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
          (answer) => {
            res.writeHead(answer.statusCode ?? 502, answer.headers);
            answer.pipe(res);
          },
        );
        upstream.on("error", (err) => {
          if (!res.headersSent) res.writeHead(502, { "Content-Type": "text/plain" });
          res.end(`The simulated Access could not reach the Worker: ${err.message}\n`);
        });
        req.pipe(upstream);
      });
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, "127.0.0.1", resolve);
      });
      closers.push(
        () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      );
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    close: async () => {
      await Promise.all(closers.map((close) => close()));
    },
  };
}
