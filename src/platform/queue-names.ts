/**
 * The queues, by the names wrangler.toml gives them: the queue handler dispatches each batch on its
 * queue's name, and a dead letter is replayed onto the queue it died on. Renaming a queue in
 * wrangler.toml means renaming it here too.
 */

export const EVENTS_QUEUE_NAME = "itoc360-jenkins-events";
export const EVENTS_DLQ_NAME = "itoc360-jenkins-events-dlq";
export const NOTIFY_QUEUE_NAME = "itoc360-jenkins-notify";
export const NOTIFY_DLQ_NAME = "itoc360-jenkins-notify-dlq";

/** The queues whose dead letters are kept, each with its producer: where a replay sends a message. */
export const REPLAYABLE_QUEUES = {
  [EVENTS_QUEUE_NAME]: (env: Env): Queue => env.EVENTS_QUEUE,
  [NOTIFY_QUEUE_NAME]: (env: Env): Queue => env.NOTIFY_QUEUE,
} as const;

export type ReplayableQueue = keyof typeof REPLAYABLE_QUEUES;
export const REPLAYABLE_QUEUE_NAMES = Object.keys(REPLAYABLE_QUEUES) as ReplayableQueue[];

export function isReplayableQueue(name: string): name is ReplayableQueue {
  return Object.hasOwn(REPLAYABLE_QUEUES, name);
}
