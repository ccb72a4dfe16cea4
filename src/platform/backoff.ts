/**
 * How long a queue message waits before its next attempt. Queues allow a retry delay of at most
 * 12 hours (`delaySeconds` ≤ 43,200); five minutes keeps a redelivery within one incident's first page.
 */

/** Exponential backoff after a message's nth attempt: 5 s, 10 s, 20 s … at most 5 minutes. */
export const backoffSeconds = (attempts: number) => Math.min(300, 5 * 2 ** Math.max(0, attempts - 1));
