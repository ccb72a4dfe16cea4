/**
 * The Worker's `queue` handler: dispatches each batch on its queue's name ({@link EVENTS_QUEUE_NAME} and
 * the others) to its feature's consumer. A batch from a queue not named here fails, and is retried.
 */

import { consumeDeadLetters } from "./dead-letters/consumer";
import { consumeNotifyDeadLetters } from "./dead-letters/notify-consumer";
import { consumeDeliveries } from "./ingest/consumer";
import { consumeNotifications } from "./notify/consumer";
import {
  EVENTS_DLQ_NAME,
  EVENTS_QUEUE_NAME,
  NOTIFY_DLQ_NAME,
  NOTIFY_QUEUE_NAME,
} from "./platform/queue-names";

/** The Worker's `queue` handler. */
export async function consumeQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  switch (batch.queue) {
    case EVENTS_QUEUE_NAME:
      return consumeDeliveries(batch, env);
    case EVENTS_DLQ_NAME:
      return consumeDeadLetters(batch, env, EVENTS_QUEUE_NAME);
    case NOTIFY_QUEUE_NAME:
      return consumeNotifications(batch, env);
    case NOTIFY_DLQ_NAME:
      return consumeNotifyDeadLetters(batch, env, NOTIFY_QUEUE_NAME);
    default:
      throw new Error(`no consumer for queue ${batch.queue}: see consumeQueue`);
  }
}
