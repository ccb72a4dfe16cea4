/**
 * Through real HTTP (the production bundle served by Miniflare on loopback, not a call into the
 * Worker's fetch): clients that go away mid-flight, while uploading or while waiting for the answer,
 * delay or fail no other delivery. With group commit, a request could wait on a batch issued by
 * another request and never resume once that request was cancelled.
 */

import { rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPayload, JSON_TYPE } from "../fixtures/payloads.ts";
import { abortWhileUploading, abortWhileWaiting } from "../scripts/lib/aborting-client.ts";
import {
  type Bundle,
  buildBundle,
  type LocalWorker,
  migrate,
  startWorker,
  tempDir,
} from "../scripts/lib/local-worker.ts";
import { logsOfEachTest } from "../test/logs.ts";

// The Worker's log lines, forwarded by Miniflare to this process's console: checked, not printed.
const logs = logsOfEachTest();

let bundle: Bundle;
let persistTo: string;
let worker: LocalWorker;
let source: { id: string; token: string };

beforeAll(async () => {
  bundle = buildBundle();
  persistTo = tempDir("aborts");
  migrate(persistTo);
  worker = await startWorker({ script: bundle.script, persistTo, unlimited: true });
  source = await worker.createSource("aborts");
});

afterAll(async () => {
  await worker?.mf.dispose();
  rmSync(persistTo, { recursive: true, force: true });
  rmSync(path.dirname(bundle.script), { recursive: true, force: true });
});

const webhook = () => new URL(`/webhooks/jenkins?token=${source.token}`, worker.url);
const body = (job: string, number: number) =>
  JSON.stringify(buildPayload({ job, number, phase: "FINALIZED", status: "FAILURE" }));

/** A delivery that waits for its answer; a hang detector, not a timing target. */
async function deliver(text: string): Promise<number> {
  const res = await fetch(webhook(), {
    method: "POST",
    headers: { "Content-Type": JSON_TYPE },
    body: text,
    signal: AbortSignal.timeout(20_000),
  });
  await res.body?.cancel();
  return res.status;
}

describe("clients that abort mid-flight", () => {
  it("delay or fail no other delivery, and leave the isolate writing at once afterwards", async () => {
    const aborted: Promise<void>[] = [];
    const answered: Promise<number>[] = [];
    for (let i = 1; i <= 60; i++) {
      aborted.push(
        i % 2 === 0
          ? abortWhileUploading(webhook(), body("aborts/gone", i), JSON_TYPE)
          : abortWhileWaiting(webhook(), body("aborts/gone", i), JSON_TYPE, i % 7),
      );
      answered.push(deliver(body("aborts/kept", i)));
    }
    await Promise.all(aborted);
    const statuses = await Promise.all(answered);
    expect(statuses.filter((s) => s !== 200 && s !== 202)).toEqual([]);

    // Every kept delivery is stored once the queue has drained.
    let stored = 0;
    for (let tries = 0; tries < 100 && stored < 60; tries++) {
      const res = await worker.api("/api/alerts?job=aborts/kept&limit=200");
      stored = ((await res.json()) as { alerts: unknown[] }).alerts.length;
      if (stored < 60) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(stored).toBe(60);

    // Nothing left behind by the cancelled requests keeps the isolate busy: a quiet delivery is
    // written at once (200, with its alert), not deferred.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await deliver(body("aborts/after", 1))).toBe(200);

    // What an operator sees: uploads cut short refused as incomplete, the rest stored or deferred and
    // then stored; no error.
    expect(logs.lines.filter((line) => line.level === "error")).toEqual([]);
    const expected = new Set(["delivery_rejected", "delivery_deferred", "queued_delivery_stored"]);
    expect(logs.names().filter((name) => !expected.has(String(name)))).toEqual([]);
    expect(logs.named("delivery_rejected").filter((line) => line.problem !== "incomplete-body")).toEqual([]);
  });
});
