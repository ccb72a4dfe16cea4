/**
 * Usage: npm run receiver [-- options]
 *
 * A local receiver for notifications: listens on 127.0.0.1 and prints every message that arrives
 * (Slack, Microsoft Teams or a signed webhook), with one summary line and its JSON body. Point a
 * destination at it (`npm run dev` allows http://127.0.0.1 destinations) and send a test message:
 *
 *   npm run receiver -- --port 9999
 *   curl -X POST -H "Authorization: Bearer $ADMIN_TOKEN" -H "Content-Type: application/json" \
 *     -d '{"name": "local", "kind": "webhook", "url": "http://127.0.0.1:9999/hook"}' \
 *     http://localhost:8787/api/destinations
 *
 *   --port N          the port to listen on (default 9999; 0 for any free one)
 *   --secret whsec_…  verify each request's Standard Webhooks signature with the destination's signing
 *                     secret (the `secret` its creation answered); a bad or missing one is answered 401
 *   --fail N          answer 503 to the first N requests of each URL path, then --status
 *   --retry-after S   send `Retry-After: S` with each 503
 *   --status CODE     the answer otherwise (default 200; 410 makes the Worker disable the destination)
 *   --quiet           the summary lines only, without the bodies
 *   --slack-api       also stand in for Slack's Web API (chat.postMessage, chat.update) on the next
 *                     port, for Slack app destinations: start the Worker with the SLACK_API_BASE it
 *                     prints (`npm run dev -- --var SLACK_API_BASE:http://127.0.0.1:<port>/api`)
 *
 * Ctrl-C stops it.
 */
import { intOption, parseCli, usageError } from "./lib/cli.ts";
import { type Received, startReceiver } from "./lib/receiver.ts";
import { startSlackApiServer } from "./lib/slack-api-server.ts";

const { values } = parseCli(import.meta.url, {
  options: {
    port: { type: "string", default: "9999" },
    secret: { type: "string" },
    fail: { type: "string", default: "0" },
    "retry-after": { type: "string" },
    status: { type: "string", default: "200" },
    quiet: { type: "boolean", default: false },
    "slack-api": { type: "boolean", default: false },
  },
});

const NAME = "receiver";
const port = intOption(NAME, "port", values.port, 0);
const status = intOption(NAME, "status", values.status, 200);
if (status > 599) usageError(NAME, `--status must be an HTTP status (200–599), not "${values.status}"`);
if (values.secret !== undefined && !/^whsec_[A-Za-z0-9+/]+={0,2}$/.test(values.secret)) {
  usageError(NAME, "--secret must be a whsec_… signing secret, as the destination's creation answered");
}
const retryAfter = values["retry-after"];

const receiver = await startReceiver(
  {
    port,
    secret: values.secret,
    fail: intOption(NAME, "fail", values.fail, 0),
    retryAfter: retryAfter === undefined ? undefined : intOption(NAME, "retry-after", retryAfter, 0),
    status,
  },
  (received) => {
    console.log(summary(received));
    if (!values.quiet) console.log(`${indent(pretty(received.body))}\n`);
  },
).catch((err: Error) => usageError(NAME, `cannot listen on 127.0.0.1:${port}: ${err.message}`));

console.log(
  `Listening on ${receiver.url}/ (any path)${values.secret ? ", verifying Standard Webhooks signatures" : ""}`,
);
const slackApi = values["slack-api"]
  ? await startSlackApiServer({
      port: port === 0 ? 0 : port + 1,
      onCall: ({ method, args, status, error }) => {
        const where = `${String(args.channel ?? "")}${args.thread_ts ? ` thread ${String(args.thread_ts)}` : ""}`;
        console.log(
          `${new Date().toISOString().slice(11, 19)} ${method} ${where} → ${status} ${error ?? "ok"}`,
        );
        if (!values.quiet) console.log(`${indent(JSON.stringify(args, null, 2))}\n`);
      },
    }).catch((err: Error) => usageError(NAME, `cannot start the Slack Web API stand-in: ${err.message}`))
  : null;
if (slackApi) {
  console.log(
    `Standing in for Slack's Web API: npm run dev -- --var SLACK_API_BASE:${slackApi.url}/api (any xoxb- token works)`,
  );
}
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(
    signal,
    () => void Promise.all([receiver.close(), slackApi?.close()]).then(() => process.exit(0)),
  );
}

/** `12:00:01 POST /hook → 200 webhook incident.opened #12 acme/api, signature ✓`. */
function summary(received: Received): string {
  const time = received.at.slice(11, 19);
  const head = `${time} ${received.method} ${received.path} → ${received.answered} ${received.kind}`;
  return `${head} ${describe(received)}`.trimEnd();
}

function describe({ kind, body, headers, verified, verifyError }: Received): string {
  const json = parse(body) as Record<string, unknown> | undefined;
  switch (kind) {
    case "webhook": {
      const incident = json?.incident as
        | { id?: number; job_path?: string | null; source_name?: string }
        | undefined;
      const about = incident
        ? ` #${incident.id} ${incident.job_path ?? `source ${incident.source_name}`}`
        : "";
      const check =
        verified === null
          ? "signature not checked (no --secret)"
          : verified
            ? "signature ✓"
            : `signature ✗ (${verifyError})`;
      return `${String(json?.type)}${about}, id ${headers["webhook-id"]}, ${check}`;
    }
    case "slack":
      return JSON.stringify(json?.text ?? "");
    case "teams": {
      type Card = { content?: { body?: { inlines?: { text?: string }[] }[] } };
      const [card] = (json?.attachments ?? []) as Card[];
      return JSON.stringify(card?.content?.body?.[0]?.inlines?.[0]?.text ?? "");
    }
    default:
      return JSON.stringify(body.slice(0, 200));
  }
}

function parse(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

const pretty = (body: string) => {
  const json = parse(body);
  return json === undefined ? body : JSON.stringify(json, null, 2);
};

const indent = (text: string) =>
  text
    .split("\n")
    .map((line) => `  ${line}`)
    .join("\n");
