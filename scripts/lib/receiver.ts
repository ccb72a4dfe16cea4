/**
 * A local notification receiver: an HTTP server on loopback that takes what the Worker sends to a
 * destination (Slack, Teams or a signed webhook), records it, and answers as told, for `npm run
 * receiver` and for tests (scripts/lib/receivers-setup.ts).
 *
 * - With `secret` (`whsec_…`), every signed webhook (one with a `webhook-id`) must carry a valid Standard
 *   Webhooks signature, checked with the specification's own `standardwebhooks` package; one that does
 *   not is answered 401. Slack and Teams messages, which are not signed, are taken as they come.
 * - With `fail: N`, the first N requests to each path are answered `failWith` (default 503, with
 *   `Retry-After` if given), then `status` (default 200). Counting per path lets one receiver play many destinations, each with
 *   a URL path of its own.
 * - With `hang`, every request is recorded and never answered (the connection stays open until the
 *   sender gives up); with `delayMs`, the answer comes that late: a receiver that is down in the worst
 *   way, and a slow one.
 * - `GET /__received?path=/x` answers what arrived at `/x` (every path without `path`), as JSON: for
 *   tests that cannot see this process's memory (workerd).
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import type { Received, ReceivedKind } from "../../fixtures/receivers.ts";

export interface ReceiverOptions {
  /** 0 (the default) for any free port. */
  port?: number;
  secret?: string;
  fail?: number;
  /** The status of those first `fail` answers: 503 by default. */
  failWith?: number;
  /** Seconds, sent as `Retry-After` with each 503. */
  retryAfter?: number;
  status?: number;
  /** Accept each request and never answer it. */
  hang?: boolean;
  /** Answer each request this many milliseconds after it arrived. */
  delayMs?: number;
}

export type { Received, ReceivedKind } from "../../fixtures/receivers.ts";

export interface Receiver {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

const CONTROL_PATH = "/__received";
const MAX_BODY = 1024 * 1024;

/** What kind of message `body` is: signed webhooks carry `webhook-id`; Teams, `type: message`. */
export function kindOf(headers: Record<string, string>, body: string): ReceivedKind {
  if (headers["webhook-id"]) return "webhook";
  try {
    const json = JSON.parse(body) as { type?: unknown; attachments?: unknown; blocks?: unknown };
    if (json.type === "message" && Array.isArray(json.attachments)) return "teams";
    if (Array.isArray(json.blocks)) return "slack";
  } catch {
    // not JSON
  }
  return "unknown";
}

/** Standard Webhooks' verdict on one request (the library also refuses a timestamp over 5 minutes off). */
export function verify(secret: string, headers: Record<string, string>, body: string): string | null {
  try {
    new Webhook(secret).verify(body, headers);
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

export function startReceiver(
  options: ReceiverOptions = {},
  onReceived: (received: Received) => void = () => {},
): Promise<Receiver> {
  const received: Received[] = [];
  const failures = new Map<string, number>();
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://receiver");
    if (req.method === "GET" && url.pathname === CONTROL_PATH) {
      const path = url.searchParams.get("path");
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(JSON.stringify(received.filter((item) => path === null || item.path === path)));
      return;
    }
    const body = await readBody(req);
    if (body === null) {
      res.writeHead(413).end();
      return;
    }
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([name, value]) => [
        name,
        Array.isArray(value) ? value.join(", ") : (value ?? ""),
      ]),
    );
    // Signed webhooks only: Slack and Teams messages carry no signature to check.
    const signed = options.secret !== undefined && kindOf(headers, body) === "webhook";
    const verifyError = signed ? verify(options.secret as string, headers, body) : null;
    const failed = failures.get(url.pathname) ?? 0;
    let answered = options.status ?? 200;
    if (verifyError !== null) answered = 401;
    else if (failed < (options.fail ?? 0)) {
      failures.set(url.pathname, failed + 1);
      answered = options.failWith ?? 503;
    }
    const item: Received = {
      at: new Date().toISOString(),
      method: req.method ?? "",
      path: url.pathname,
      headers,
      body,
      kind: kindOf(headers, body),
      verified: signed ? verifyError === null : null,
      verifyError,
      answered,
    };
    received.push(item);
    onReceived(item);
    if (options.hang) return; // `answered` says 200 all the same: what it would have been
    if (options.delayMs) await new Promise((done) => setTimeout(done, options.delayMs));
    const retryAfter =
      answered === 503 && options.retryAfter !== undefined
        ? { "Retry-After": String(options.retryAfter) }
        : {};
    res.writeHead(answered, { "Content-Type": "text/plain", ...retryAfter });
    res.end(answered === 401 ? "invalid signature\n" : answered < 300 ? "ok\n" : "\n");
  });
  return listenOnLoopback(server, options.port).then((listening) => ({ ...listening, received }));
}

/** A loopback server's address, and how to close it. */
export interface Listening {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1 (`port` 0: any free one); closing also ends open connections (hung requests). */
export function listenOnLoopback(server: Server, port = 0): Promise<Listening> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => {
      const { port: bound } = server.address() as AddressInfo;
      resolve({
        url: `http://127.0.0.1:${bound}`,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}

/** The request body as text, or null past `maxBytes` (the local loopback servers share it). */
export async function readBody(req: IncomingMessage, maxBytes = MAX_BODY): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}
