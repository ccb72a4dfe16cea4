/** A small soak through the real Worker: shuffled phases, duplicates, 32 in flight. */
import { exports } from "cloudflare:workers";
import { expect, it } from "vitest";
import { checkAlerts, sendAll, settledCheck, soakPlan } from "../../fixtures/soak";
import { api, createSource, eventually } from "../helpers";
import { logsOfEachTest } from "../logs";

const logs = logsOfEachTest();

it("stores 100 builds' shuffled, duplicated phases with 0 lost, 0 duplicated, 0 5xx, deferring what the isolate cannot write at once", {
  timeout: 60_000, // settledCheck below waits up to 30 s for the queue consumer
}, async () => {
  const sources = await Promise.all([createSource("soak a"), createSource("soak b"), createSource("soak c")]);
  const plan = soakPlan({ builds: 100, sources: sources.length, seed: 7 });
  expect(plan.deliveries).toHaveLength(420);

  const counts = await sendAll(
    plan.deliveries,
    (source, body, contentType) =>
      exports.default.fetch(`https://itoc.example.com/webhooks/jenkins?token=${sources[source]?.token}`, {
        method: "POST",
        headers: { "Content-Type": contentType },
        body,
      }),
    32,
  );
  expect(counts).toMatchObject({ sent: 420, accepted: 420, server_errors: 0, other_errors: 0 });
  // 32 in flight against an in-flight limit of 8: most are deferred, none refused.
  expect(counts.deferred).toBeGreaterThan(0);

  const ids = sources.map((s) => s.id);
  const check = await settledCheck(() => checkAlerts(plan.expected, ids, (path) => api(path)), 30_000);
  expect(check).toEqual({ builds: 100, lost: 0, duplicated: 0, wrong_state: 0, wrong_event_count: 0 });
  // One line per deferral, one per deferred delivery the consumer took; nothing else (no error, no refusal).
  expect(logs.named("delivery_deferred")).toHaveLength(counts.deferred);
  const taken = await eventually(
    async () => logs.named("queued_delivery_stored").length,
    (n) => n === counts.deferred,
  );
  expect(taken).toBe(counts.deferred);
  expect(logs.named("delivery_deferred").every((line) => line.problem === "busy")).toBe(true);
  expect(new Set(logs.names())).toEqual(new Set(["delivery_deferred", "queued_delivery_stored"]));
});
