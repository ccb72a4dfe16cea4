/**
 * The Worker's clock. Every "now" in src/ is read here, so the tests can run the whole Worker (routes, queue
 * consumers, the cron) as if it were another instant: a weekday noon, Sunday night in Berlin, a DST change
 * (vitest.config.ts, `TEST_NOW`). Production never moves it: the offset stays 0 and this is `Date.now()`.
 *
 * Module scope holds one plain number, never anything tied to a request (workerd ties I/O to the request
 * that started it; a number is not I/O).
 */
let offsetMs = 0;

/** Milliseconds since the epoch on the Worker's clock: what `Date.now()` would say. */
export function nowMs(): number {
  return Date.now() + offsetMs;
}

/** The current instant on the Worker's clock. */
export function now(): Date {
  return new Date(nowMs());
}

/** The current instant as an ISO 8601 UTC string, the form D1 stores. */
export function nowIso(): string {
  return now().toISOString();
}

/**
 * Tests only: the clock reads `at` now and runs on from there at the real pace (queues, retries and leases
 * still see time pass). Set once per test file by test/clock-setup.ts.
 */
export function setClock(at: Date | number): void {
  offsetMs = +at - Date.now();
}
