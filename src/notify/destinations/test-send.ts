/**
 * Sending a test message to one destination, for the API's `POST /api/destinations/:id/test` and the
 * dashboard's "Send a test": a made-up incident ({@link testContent}), to disabled destinations too (to
 * check one before resuming it). The outcome holds the receiver's status and how long it took, never its
 * body: the URL is the admin's to choose, so a body would let them read what an address answers from
 * where the Worker runs. A 410 (or a Slack app's lost token or channel) disables the destination, as a notification's would (by the Worker itself:
 * SYSTEM). Recorded as `destination.tested` with the receiver's status, never its body.
 */
import { type Actor, SYSTEM } from "../../audit/actor";
import { auditStatement } from "../../audit/entry";
import { nowMs } from "../../platform/clock";
import { deliver } from "../deliver";
import { slackApiBase } from "../slack/web-api";
import { testContent } from "../test-content";
import { destinationEntry } from "./audited";
import type { Keyring } from "./keyring";
import { openForSending } from "./open";
import { getSealedDestination } from "./store";
import { allowsPrivateDestinations } from "./url";
import { disableDestination } from "./writes";

export interface TestSent {
  status: number | null;
  ok: boolean;
  /** What went wrong (`timeout`, `HTTP 500`, Slack's `channel_not_found`); null when it arrived. */
  error: string | null;
  duration_ms: number;
}

/** Sent (to the destination named `name`), or not: no such destination, or DESTINATIONS_KEY cannot read it. */
export type TestOutcome = { sent: TestSent; name: string } | { missing: true } | { unreadable: true };

/** Sends the test message to destination `id`; `origin` is the Worker's, for the message's links. */
export async function sendTestMessage(
  db: D1Database,
  keyring: Keyring,
  id: number,
  env: Pick<Env, "ALLOW_PRIVATE_DESTINATIONS" | "SLACK_API_BASE">,
  options: { origin: string; actor: Actor },
): Promise<TestOutcome> {
  const found = await getSealedDestination(db, id);
  if (!found) return { missing: true };
  const target = await openForSending(keyring, found);
  if (!target) return { unreadable: true };
  const started = nowMs();
  const now = new Date(started);
  const signing =
    target.secret === null
      ? undefined
      : { id: `test_${crypto.randomUUID().replaceAll("-", "")}`, secret: target.secret, timestamp: now };
  const result = await deliver(target, testContent(options.origin, now), {
    allowPrivate: allowsPrivateDestinations(env),
    slackApiBase: slackApiBase(env),
    signing,
  });
  // workerd's clock moves on I/O only, which is what is timed here: sending and the answer's headers.
  const duration_ms = nowMs() - started;
  // Recorded at the send's time, like a 410's disabling below, and before it.
  const tested = destinationEntry(options.actor, "destination.tested", id, {
    status: result.status,
    ok: result.ok,
  });
  await auditStatement(db, tested, now.toISOString()).run();
  const reason = result.disable;
  if (reason !== null && (await disableDestination(db, id, reason, now.toISOString(), SYSTEM))) {
    console.log(JSON.stringify({ event: "destination_disabled", destination_id: id, reason }));
  }
  return {
    sent: { status: result.status, ok: result.ok, error: result.error, duration_ms },
    name: found.name,
  };
}
