/**
 * A loopback stand-in for Cloudflare Access's certs endpoint (`/cdn-cgi/access/certs`): serves a key set
 * per path and counts the requests for it, so a test can see how often the Worker fetched its keys. Used
 * by `npm run dev -- --as` (one key set, set in-process) and by the workers tests' globalSetup
 * (scripts/lib/receivers-setup.ts), whose tests cannot reach this process's memory and so use HTTP:
 *   - `PUT /<path>[?status=N]` with a body: `GET /<path>` answers that body with that status (200 by default),
 *   - `GET /__hits?path=/<path>`: how many `GET`s that path has had, as JSON `{ "hits": n }`.
 */
import { createServer } from "node:http";
import { listenOnLoopback, readBody } from "./receiver.ts";

const CONTROL_PATH = "/__hits";
const MAX_BODY = 256 * 1024;

export interface AccessKeysServer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** Serves `body` (a key set, or anything a test wants the Worker to meet) at `path`. */
  serve(path: string, body: string, status?: number): void;
  close(): Promise<void>;
}

export function startAccessKeysServer(): Promise<AccessKeysServer> {
  const served = new Map<string, { body: string; status: number }>();
  const hits = new Map<string, number>();
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://keys");
    if (req.method === "GET" && url.pathname === CONTROL_PATH) {
      const path = url.searchParams.get("path") ?? "";
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ hits: hits.get(path) ?? 0 }));
      return;
    }
    if (req.method === "PUT") {
      const body = await readBody(req, MAX_BODY);
      if (body === null) return void res.writeHead(413).end();
      served.set(url.pathname, { body, status: Number(url.searchParams.get("status") ?? 200) });
      return void res.writeHead(204).end();
    }
    hits.set(url.pathname, (hits.get(url.pathname) ?? 0) + 1);
    const answer = served.get(url.pathname);
    if (answer === undefined) return void res.writeHead(404).end();
    res.writeHead(answer.status, { "Content-Type": "application/json" });
    res.end(answer.body);
  });
  return listenOnLoopback(server).then((listening) => ({
    ...listening,
    serve: (path: string, body: string, status = 200) => void served.set(path, { body, status }),
  }));
}
