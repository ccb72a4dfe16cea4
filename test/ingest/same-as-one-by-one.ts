/**
 * The comparison behind batch-equivalence.test.ts: the same deliveries stored for two new sources with
 * the same noise policy, source A one by one through {@link writeDelivery} (the webhook's path), source B
 * in batches through {@link writeDeliveries} (the queue consumer's), then everything stored for them
 * compared table by table ({@link sourceState}) and each delivery's result checked.
 */
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { type Delivery, type IngestResult, writeDeliveries, writeDelivery } from "../../src/ingest/store";
import { sourceWithPolicy } from "../alerts/generated-histories";
import { queueMessages, readDeliveries } from "./queued";
import { sourceIds, sourceState } from "./source-state";

/**
 * Stores `bodies` (plugin payloads, in arrival order) for two new sources with `policy`, A one by one
 * and B in batches of `batchSize`, and expects both to end the same. Returns A's state.
 */
export async function expectSameAsOneByOne(
  name: string,
  bodies: Record<string, unknown>[],
  policy: Record<string, unknown>,
  batchSize: number,
) {
  const a = await sourceWithPolicy(`${name}, one by one`, policy);
  const b = await sourceWithPolicy(`${name}, batched`, policy);
  // The same messages (received at the same instants) for both, but for their source, read as the
  // consumer reads them (so both are `deferred`): only how they are written differs.
  const messages = queueMessages(a.id, bodies);
  const one = await readDeliveries(messages);
  const many = await readDeliveries(messages.map((message) => ({ ...message, source_id: b.id })));

  const oneByOne: Reported = { duplicates: [], alertIds: [], timeline: [] };
  for (const delivery of one) {
    const { duplicate, alertId, timeline } = await writeDelivery(env.DB, delivery);
    oneByOne.duplicates.push(duplicate);
    oneByOne.alertIds?.push(alertId);
    oneByOne.timeline.push(...timeline);
  }
  const batched: Reported = { duplicates: [], timeline: [] };
  for (let i = 0; i < many.length; i += batchSize) {
    const batch = many.slice(i, i + batchSize);
    const { duplicates, timeline } = await writeDeliveries(env.DB, batch);
    expect(duplicates).toHaveLength(batch.length);
    batched.duplicates.push(...duplicates);
    batched.timeline.push(...timeline);
  }

  const [stateA, stateB] = await Promise.all([sourceState(a.id), sourceState(b.id)]);
  for (const table of Object.keys(stateA) as (keyof typeof stateA)[]) {
    expect({ table, rows: stateB[table] }).toEqual({ table, rows: stateA[table] });
  }
  await expectResultsTrue(a.id, one, oneByOne);
  await expectResultsTrue(b.id, many, batched);
  return stateA;
}

/** What the writes reported: per delivery, in order, whether it was a repeat (and its alert, one by one); the timeline entries written. */
interface Reported {
  duplicates: boolean[];
  alertIds?: number[];
  timeline: IngestResult["timeline"];
}

/**
 * `duplicate` exactly for a repeat of an earlier delivery, `alertId` (when reported) its build's alert;
 * and every timeline entry stored is reported by some write, with its type (what the notification
 * outbox is offered: {@link enqueueEntries}).
 */
async function expectResultsTrue(sourceId: string, deliveries: Delivery[], reported: Reported) {
  const { alertId, entries } = await sourceIds(sourceId);
  const seen = new Set<string>();
  const expected = deliveries.map(({ event, stored }) => {
    const build = `${event.job}#${event.buildNumber}`;
    const duplicate = seen.has(stored.body);
    seen.add(stored.body);
    return { build, duplicate, ...(reported.alertIds ? { alertId: alertId.get(build) } : {}) };
  });
  expect(
    reported.duplicates.map((duplicate, i) => ({
      build: expected[i]?.build,
      duplicate,
      ...(reported.alertIds ? { alertId: reported.alertIds[i] } : {}),
    })),
  ).toEqual(expected);
  const types = new Map(reported.timeline.map((entry) => [entry.id, entry.type]));
  expect(entries.filter((entry) => types.get(entry.id) !== entry.type)).toEqual([]);
}
