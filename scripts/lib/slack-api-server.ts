/**
 * A loopback stand-in for Slack's Web API (`chat.postMessage`, `chat.update`), for the workers tests
 * (scripts/lib/receivers-setup.ts; the Worker's SLACK_API_BASE is `<url>/api`) and for local development
 * (`npm run receiver`). It keeps channels' messages, threads and updates per bot token and answers as
 * Slack does: HTTP 200 with `{"ok": true, …}`, or `{"ok": false, "error": …}` for a refusal (a reply to a
 * thread that does not exist, an update of a message that does not), and whatever a test queued for
 * the token instead (`PUT /__script?token=…`, fixtures/slack-api.ts). Read back with `GET /__calls` and
 * `GET /__messages` (`?token=…`).
 */
import { createServer } from "node:http";
import type { ScriptedAnswer, SlackCall, SlackPosted } from "../../fixtures/slack-api.ts";
import { type Listening, listenOnLoopback, readBody } from "./receiver.ts";

const MAX_BODY = 1024 * 1024;

/** `url`: `http://127.0.0.1:<port>`; the Web API is under `/api`. */
export type SlackApiServer = Listening;

interface Workspace {
  calls: SlackCall[];
  messages: SlackPosted[];
  script: ScriptedAnswer[];
}

export interface SlackApiOptions {
  /** 0 (the default) for any free port. */
  port?: number;
  /** Told of every Web API call once it is answered (`npm run receiver -- --slack-api` prints them). */
  onCall?: (call: SlackCall) => void;
}

export function startSlackApiServer(options: SlackApiOptions = {}): Promise<SlackApiServer> {
  const workspaces = new Map<string, Workspace>();
  const of = (token: string) => {
    const found = workspaces.get(token) ?? { calls: [], messages: [], script: [] };
    workspaces.set(token, found);
    return found;
  };
  let clock = 1_800_000_000;
  const nextTs = () => `${clock++}.000100`;

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://slack");
    const token = url.searchParams.get("token") ?? "";
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.method === "GET" && url.pathname === "/__calls") return reply(200, of(token).calls);
    if (req.method === "GET" && url.pathname === "/__messages") return reply(200, of(token).messages);
    const body = await readBody(req, MAX_BODY);
    if (body === null) return void res.writeHead(413).end();
    if (req.method === "PUT" && url.pathname === "/__script") {
      of(token).script.push(...(JSON.parse(body) as ScriptedAnswer[]));
      return void res.writeHead(204).end();
    }
    const method = url.pathname.replace(/^\/api\//, "");
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (bearer === undefined) return reply(200, { ok: false, error: "not_authed" });
    const space = of(bearer);
    let args: Record<string, unknown>;
    try {
      args = JSON.parse(body) as Record<string, unknown>;
    } catch {
      return reply(200, { ok: false, error: "invalid_json" });
    }
    const answer = (status: number, json: Record<string, unknown>, headers?: Record<string, string>) => {
      const call = { method, args, status, error: json.ok ? null : String(json.error) };
      space.calls.push(call);
      options.onCall?.(call);
      reply(status, json, headers);
    };
    const scripted = space.script.findIndex((s) => s.method === undefined || s.method === method);
    if (scripted >= 0) {
      const [next] = space.script.splice(scripted, 1) as [ScriptedAnswer];
      const retryAfter =
        next.retryAfter === undefined ? undefined : { "Retry-After": String(next.retryAfter) };
      return answer(next.status ?? 200, { ok: false, error: next.error }, retryAfter);
    }
    const channel = String(args.channel ?? "");
    if (method === "chat.postMessage") {
      const thread = typeof args.thread_ts === "string" ? args.thread_ts : null;
      if (thread !== null && !space.messages.some((m) => m.channel === channel && m.ts === thread)) {
        return answer(200, { ok: false, error: "thread_not_found" });
      }
      const ts = nextTs();
      space.messages.push({ channel, ts, thread_ts: thread, args, updates: 0 });
      return answer(200, { ok: true, channel, ts, message: { text: args.text, ts } });
    }
    if (method === "chat.update") {
      const message = space.messages.find((m) => m.channel === channel && m.ts === args.ts);
      if (!message) return answer(200, { ok: false, error: "message_not_found" });
      message.args = args;
      message.updates += 1;
      return answer(200, { ok: true, channel, ts: message.ts, text: args.text });
    }
    return answer(404, { ok: false, error: "unknown_method" });
  });
  return listenOnLoopback(server, options.port);
}
