/**
 * One destination's sender: a Durable Object per destination (binding DESTINATION_SENDER, named by the
 * destination's id) that makes that destination's attempts one at a time, in the order they were handed
 * over, on its own alarm. A receiver that accepts the connection and never answers therefore holds up
 * only its own notifications (each attempt ends at {@link SEND_TIMEOUT_MS}); the NOTIFY_QUEUE consumer
 * and every other destination go on. Being the only sender to its destination, it also spaces Slack
 * messages for all isolates at once ({@link paced}).
 *
 * Its storage holds ids only, each once (the sweep may hand a row over again): D1's notification rows
 * stay the truth, and an id dropped here (a send that keeps throwing, or one whose row another attempt
 * holds) is a pending row the outbox sweep ({@link sweepOutbox}) puts back on the queue once
 * {@link SENDER_GRACE_MS} has passed since it was handed over.
 */
import { DurableObject } from "cloudflare:workers";
import { queriesPerInvocation } from "../platform/vars";
import { attemptNotification } from "./attempt";
import { enqueueSends } from "./outbox";
import { MAX_DELAY_SECONDS } from "./retry";

/** The most D1 queries one attempt takes (claim, destination, incident, alert, outcome and release). */
const ATTEMPT_QUERIES = 10;
/** How long one alarm goes on making attempts before it re-arms for the rest. */
const ALARM_WALL_MS = 60_000;
/** An attempt that threw (D1 down, a bug) is made again after 5 s, 10 s, …, this many times in all, then left to the sweep. */
const MAX_FAILURES = 5;

export class DestinationSender extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // `seq` keeps the order of hand-over; an id already waiting is not queued twice.
    ctx.storage.sql.exec(
      `CREATE TABLE IF NOT EXISTS waiting (seq INTEGER PRIMARY KEY AUTOINCREMENT, id INTEGER NOT NULL UNIQUE,
         failures INTEGER NOT NULL DEFAULT 0)`,
    );
  }

  /** Queues notification rows of this destination for sending (in this order) and wakes the sender. */
  async push(ids: number[]): Promise<void> {
    for (const id of ids) this.ctx.storage.sql.exec("INSERT OR IGNORE INTO waiting (id) VALUES (?)", id);
    // An alarm already set (a backoff) stays: the new ids wait behind the ones before them.
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(wakeAt(0));
  }

  /** Sends what waits, oldest first, within one invocation's D1 budget; the rest in the next alarm. */
  override async alarm(): Promise<void> {
    // D1: 50 queries per invocation on Free, and each alarm is an invocation of its own.
    const room = Math.max(1, Math.floor(queriesPerInvocation(this.env) / ATTEMPT_QUERIES));
    const rows = this.ctx.storage.sql
      .exec<{ id: number; failures: number }>("SELECT id, failures FROM waiting ORDER BY seq LIMIT ?", room)
      .toArray();
    const started = Date.now();
    for (const row of rows) {
      // Hung receivers take SEND_TIMEOUT_MS an attempt: an alarm stops after about a minute and re-arms,
      // well inside the platform's limit on one alarm's wall time, whatever the plan's query budget.
      if (Date.now() - started > ALARM_WALL_MS) break;
      try {
        await sendNow(this.env, row.id);
      } catch (err) {
        const failures = row.failures + 1;
        console.error(
          JSON.stringify({
            event: "notify_send_error",
            notification_id: row.id,
            failures,
            error: String(err),
          }),
        );
        if (failures < MAX_FAILURES) {
          // Later ones wait behind it: their order to this destination is kept.
          this.ctx.storage.sql.exec("UPDATE waiting SET failures = ? WHERE id = ?", failures, row.id);
          await this.ctx.storage.setAlarm(wakeAt(5_000 * 2 ** (failures - 1)));
          return;
        }
      }
      this.ctx.storage.sql.exec("DELETE FROM waiting WHERE id = ?", row.id);
    }
    const left = this.ctx.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM waiting").one().n;
    if (left > 0) await this.ctx.storage.setAlarm(wakeAt(0));
  }
}

/**
 * When an alarm is to go off: on the platform's clock, which the Worker's clock (`now()`, moved by
 * tests) does not move, so this reads Date.now() itself.
 */
const wakeAt = (inMs: number) => Date.now() + inMs;

/** One attempt, then what follows from it: released follow-ups, or a retry later through the queue. */
async function sendNow(env: Env, id: number): Promise<void> {
  const result = await attemptNotification(env, id);
  if (result.kind === "delivered") await enqueueSends(env, result.released);
  // A wait past the queue's longest delay: the message comes back early, finds the row not yet due, and
  // the sweep sends it when it is.
  // A destination DESTINATIONS_KEY cannot read waits the same way, its schedule untouched (waitForKey).
  if (result.kind === "retry" || result.kind === "unreadable" || result.kind === "later")
    await enqueueSends(env, [id], Math.min(result.delaySeconds, MAX_DELAY_SECONDS));
}

/** Hands notification rows to their destinations' senders (`rows` in the order they are to go). */
export async function handOver(
  env: Pick<Env, "DESTINATION_SENDER">,
  rows: { id: number; destination_id: number }[],
): Promise<void> {
  const byDestination = Map.groupBy(rows, (row) => row.destination_id);
  await Promise.all(
    [...byDestination].map(([destinationId, owed]) =>
      senderOf(env, destinationId).push(owed.map((row) => row.id)),
    ),
  );
}

const senderOf = (env: Pick<Env, "DESTINATION_SENDER">, destinationId: number) =>
  env.DESTINATION_SENDER.getByName(String(destinationId));
