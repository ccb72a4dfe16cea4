/**
 * Set-based queue batches in the cases batch-equivalence.test.ts does not reach. Each
 * stores the same deliveries for two sources (or pairs of sources), A one by one through
 * {@link writeDelivery}, B in batches through {@link writeDeliveries}, after the same history and
 * the same intervening action for both, and expects both to end the same table by table.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { deliveriesFor, randomHistory, type SimBuild } from "../../fixtures/health-model";
import { random } from "../../fixtures/random";
import { SYSTEM } from "../../src/audit/actor";
import { resolveIncident } from "../../src/incidents/store";
import { type Delivery, writeDeliveries, writeDelivery } from "../../src/ingest/store";
import { nowIso } from "../../src/platform/clock";
import { sourceWithPolicy } from "../alerts/generated-histories";
import { interleaved, jobInOrder, withRedeliveries } from "./batch-orders";
import { queueMessages, readDeliveries } from "./queued";
import { sourceState } from "./source-state";

type Body = Record<string, unknown>;
const buildOf = (body: Body) => body.build as { number: number; phase: string };

interface Case {
  name: string;
  policy: Record<string, unknown>;
  /** Stored one by one for both sources before anything else. */
  before?: Body[];
  /** Done to each source after `before`. */
  between?: (sourceId: string) => Promise<void>;
  /** A one by one, B in batches of `batchSize`. */
  bodies: Body[];
  batchSize: number;
  /** Batch sizes, in turn, instead of `batchSize` for all. */
  sizes?: number[];
  /** Changes the deliveries as read (the same for A and B). */
  tweak?: (delivery: Delivery, i: number) => Delivery;
  /**
   * A stores each batch's deliveries one by one in build order (and phase order within a build) rather than as they came:
   * a batch decides with all it holds, so where arrival order alone made an incident (a streak that a
   * green arriving later in the same batch breaks), it matches the order the builds ran in.
   */
  inBuildOrder?: boolean;
  /**
   * A stores each batch's green builds first, then the rest as they came: what the batch knows when it
   * decides, so a streak that a green of the same batch breaks is never one (see the named cases).
   */
  greensFirst?: boolean;
}

/** `bodies` as the consumer reads them, for each of `sourceIds`, received at the same instants. */
async function readFor(sourceIds: string[], bodies: Body[]) {
  if (bodies.length === 0) return sourceIds.map(() => []);
  const messages = queueMessages("x", bodies);
  return Promise.all(
    sourceIds.map((id) => readDeliveries(messages.map((message) => ({ ...message, source_id: id })))),
  );
}

async function expectSame(c: Case) {
  const a = await sourceWithPolicy(`${c.name}, one by one`, c.policy);
  const b = await sourceWithPolicy(`${c.name}, batched`, c.policy);
  const before = await readFor([a.id, b.id], c.before ?? []);
  for (const [n, source] of [a, b].entries()) {
    for (const delivery of before[n] ?? []) await writeDelivery(env.DB, delivery);
    await c.between?.(source.id);
  }
  const tweak = c.tweak ?? ((d: Delivery) => d);
  const [one = [], many = []] = (await readFor([a.id, b.id], c.bodies)).map((list) => list.map(tweak));
  const inOrder = (list: Delivery[]) =>
    c.inBuildOrder
      ? [...list].sort(
          (x, y) => x.event.buildNumber - y.event.buildNumber || x.event.phaseRank - y.event.phaseRank,
        )
      : c.greensFirst
        ? [
            ...list.filter((d) => d.event.kind === "RESOLVE"),
            ...list.filter((d) => d.event.kind !== "RESOLVE"),
          ]
        : list;
  const sizes = [...(c.sizes ?? [])];
  for (let i = 0; i < many.length; ) {
    const size = sizes.shift() ?? c.batchSize;
    // A: the same deliveries one by one, batch by batch.
    for (const delivery of inOrder(one.slice(i, i + size))) await writeDelivery(env.DB, delivery);
    await writeDeliveries(env.DB, many.slice(i, i + size));
    i += size;
  }
  const [stateA, stateB] = await Promise.all([sourceState(a.id), sourceState(b.id)]);
  for (const table of Object.keys(stateA) as (keyof typeof stateA)[]) {
    expect({ table, rows: stateB[table] }).toEqual({ table, rows: stateA[table] });
  }
}

const at = 1_764_000_000_000;
const build = (number: number, status: SimBuild["status"]): SimBuild => ({
  number,
  status,
  start: at + number * 120_000,
  duration: 60_000,
});
const finishedOf = (job: string, builds: SimBuild[]) =>
  builds
    .flatMap((b) => deliveriesFor(job, b))
    .filter((body) => ["COMPLETED", "FINALIZED"].includes(buildOf(body).phase));

describe("a queue batch stores what the same deliveries store one by one", () => {
  it("when a silence starts between two failing builds of one batch", async () => {
    const job = "rv-silence/app";
    const bodies = finishedOf(job, [build(1, "FAILURE"), build(2, "FAILURE")]);
    await expectSame({
      name: "silence mid-batch",
      policy: { min_consecutive_failures: 1 },
      bodies,
      batchSize: bodies.length,
      // Build 2's deliveries are read once the silence started (or a silence matches build 2's branch only).
      tweak: (d) => (d.event.buildNumber === 2 ? { ...d, incident: { ...d.incident, silenced: true } } : d),
    });
  });

  it("as in build order when a late green in the same batch breaks a streak one by one would have paged for", async () => {
    const job = "rv-transient/app";
    const [b1, b2, b3] = [build(1, "FAILURE"), build(2, "SUCCESS"), build(3, "FAILURE")].map((b) =>
      finishedOf(job, [b]).filter((body) => buildOf(body).phase === "FINALIZED"),
    );
    // One by one as they came, builds 1 and 3 open an incident (build 2 is not known yet) that build 2
    // then resolves; a batch of all three knows build 2 and opens none, as the builds in order would.
    await expectSame({
      inBuildOrder: true,
      name: "transient incident",
      policy: { min_consecutive_failures: 2 },
      bodies: [...(b1 ?? []), ...(b3 ?? []), ...(b2 ?? [])],
      batchSize: 3,
    });
  });

  it("as in build order when a late green splits off an incident whose builds finished in this batch and before", async () => {
    const job = "rv-split/app";
    const finalized = (n: number, status: SimBuild["status"]) =>
      finishedOf(job, [build(n, status)]).filter((body) => buildOf(body).phase === "FINALIZED");
    // One by one as they came: 6 opens an incident, 9 and 10 join it, green 7 splits 9 and 10 off into
    // one that both had reached when it opened: "opened" names 10. In a batch of [10, 7], it names 9,
    // as the builds in order would (7 resolves 6's incident, 9 opens the next).
    await expectSame({
      inBuildOrder: true,
      name: "split-off opened by",
      policy: { min_consecutive_failures: 1 },
      bodies: [
        ...finalized(6, "FAILURE"),
        ...finalized(9, "FAILURE"),
        ...finalized(10, "FAILURE"),
        ...finalized(7, "SUCCESS"),
      ],
      batchSize: 2,
      sizes: [1, 1, 2],
    });
  });

  it("when a build that finished before the batch finalizes in it, after the incident opened", async () => {
    const job = "rv-refinalized/app";
    const phase = (n: number, name: string) =>
      deliveriesFor(job, build(n, "FAILURE")).filter((body) => buildOf(body).phase === name);
    // One by one: 5 completed earlier; 3 makes two in a row: "opened" names 5 (4 joins later). In the
    // batch, 5's FINALIZED makes it count as arriving after 4: "opened" names 4.
    await expectSame({
      name: "refinalized",
      policy: { min_consecutive_failures: 2 },
      bodies: [
        ...phase(5, "COMPLETED"),
        ...phase(3, "FINALIZED"),
        ...phase(4, "FINALIZED"),
        ...phase(5, "FINALIZED"),
      ],
      batchSize: 3,
      sizes: [1, 3],
    });
  });

  it("when a batch of two later builds ends a missed build and a silent source", async () => {
    const job = "rv-heartbeat/app";
    const started = (n: number) =>
      deliveriesFor(job, build(n, "SUCCESS")).filter((body) => buildOf(body).phase === "STARTED");
    await expectSame({
      name: "heartbeat resolved by a batch",
      policy: { min_consecutive_failures: 1 },
      before: deliveriesFor(job, build(1, "SUCCESS")),
      between: async (sourceId) => {
        const now = nowIso();
        await env.DB.batch([
          env.DB.prepare(
            `INSERT INTO incidents (kind, source_id, source_name, job, priority, last_build, opened_at, updated_at)
             VALUES ('missed_build', ?1, 'x', ?2, 'HIGH', 1, ?3, ?3)`,
          ).bind(sourceId, job, now),
          env.DB.prepare(
            `INSERT INTO incidents (kind, source_id, source_name, job, priority, opened_at, updated_at)
             VALUES ('source_silent', ?1, 'x', NULL, 'HIGH', ?2, ?2)`,
          ).bind(sourceId, now),
        ]);
      },
      bodies: [...started(2), ...started(3)],
      batchSize: 2,
    });
  });

  for (const order of ["as built", "builds in reverse order"] as const) {
    it(`around an incident resolved by hand, the rest ${order} in one batch`, async () => {
      const job = "rv-fence/app";
      const later = [
        build(2, "SUCCESS"),
        build(4, "FAILURE"),
        build(5, "FAILURE"),
        build(6, "SUCCESS"),
        build(7, "FAILURE"),
      ];
      const bodies = finishedOf(job, later);
      await expectSame({
        name: `fence, ${order}`,
        policy: { min_consecutive_failures: 1 },
        // Builds 1 and 3 fail and open an incident that is resolved by hand: a fence at 3.
        before: finishedOf(job, [build(1, "FAILURE"), build(3, "FAILURE")]),
        between: async (sourceId) => {
          const { results } = await env.DB.prepare("SELECT id FROM incidents WHERE source_id = ?1")
            .bind(sourceId)
            .all<{ id: number }>();
          expect(results).toHaveLength(1);
          await resolveIncident(env.DB, results[0]?.id as number, {
            actor: SYSTEM,
            note: null,
            at: nowIso(),
          });
        },
        bodies: order === "as built" ? bodies : [...bodies].reverse(),
        batchSize: bodies.length,
      });
    });
  }

  for (const seed of [3, 7, 11]) {
    it(`history ${seed}: build numbers with gaps, in batches of 3`, async () => {
      const rand = random(seed);
      const builds = randomHistory(rand, 12).map((b, i) => ({ ...b, number: 5 + i * 3 + (i % 2) }));
      const bodies = withRedeliveries(
        jobInOrder(
          builds.flatMap((b) => deliveriesFor(`rv-gaps-${seed}/app`, b)),
          "shuffled",
          rand,
        ),
        rand,
      );
      await expectSame({
        name: `gaps ${seed}`,
        policy: { min_consecutive_failures: 1 + (seed % 3) },
        bodies,
        batchSize: 3,
      });
    });
  }

  for (const [seed, together] of [21, 22, 23, 24].flatMap(
    (seed) =>
      [
        [seed, true],
        [seed, false],
      ] as const,
  )) {
    const how = together ? "in one batch" : "each in its own batch, cut at the same places";
    it(`history ${seed}: two sources with a job of the same name, ${how}`, async () => {
      const policy = { min_consecutive_failures: 1 + (seed % 2) };
      const named = (name: string) => sourceWithPolicy(`two sources ${seed} ${together} ${name}`, policy);
      const [a1, a2, b1, b2] = await Promise.all([named("a1"), named("a2"), named("b1"), named("b2")]);
      const rand = random(seed);
      const lists = [0, 1].map(() =>
        jobInOrder(
          randomHistory(rand, 10).flatMap((b) => deliveriesFor("rv-shared/app", b)),
          "shuffled",
          rand,
        ),
      );
      const tagged = interleaved(
        lists.map((list, s) => list.map((body) => ({ s, body }))) as unknown as Body[][],
        rand,
      ) as unknown as { s: number; body: Body }[];
      const messages = queueMessages(
        "x",
        tagged.map(({ body }) => body),
      );
      const messagesFor = (ids: string[]) =>
        messages.map((m, i) => ({ ...m, source_id: ids[tagged[i]?.s as number] as string }));
      for (const delivery of await readDeliveries(messagesFor([a1.id, a2.id]))) {
        await writeDelivery(env.DB, delivery);
      }
      const many = await readDeliveries(messagesFor([b1.id, b2.id]));
      for (let i = 0; i < many.length; i += 25) {
        const cut = many.slice(i, i + 25);
        const parts = together ? [cut] : [b1.id, b2.id].map((id) => cut.filter((d) => d.source.id === id));
        for (const part of parts) await writeDeliveries(env.DB, part);
      }
      for (const [x, y] of [
        [a1, b1],
        [a2, b2],
      ] as const) {
        const [stateA, stateB] = await Promise.all([sourceState(x.id), sourceState(y.id)]);
        for (const table of Object.keys(stateA) as (keyof typeof stateA)[]) {
          expect({ table, rows: stateB[table] }).toEqual({ table, rows: stateA[table] });
        }
      }
    });
  }

  it("a batch of nothing but repeats reports them all and changes nothing", async () => {
    const source = await sourceWithPolicy("only repeats", { min_consecutive_failures: 1 });
    const bodies = finishedOf("rv-repeats/app", [build(1, "FAILURE"), build(2, "SUCCESS")]);
    const [deliveries = []] = await readFor([source.id], bodies);
    await writeDeliveries(env.DB, deliveries);
    const before = await sourceState(source.id);
    const [repeats = []] = await readFor([source.id], bodies);
    const again = await writeDeliveries(env.DB, repeats);
    expect(again.duplicates).toEqual(bodies.map(() => true));
    expect(again.timeline).toEqual([]);
    expect(await sourceState(source.id)).toEqual(before);
    const none = await writeDeliveries(env.DB, []);
    expect(none).toMatchObject({ duplicates: [], timeline: [] });
  });

  // A failing build and a green one whose COMPLETED times say "recovered" where the failing build's
  // FINALIZED time alone says "not yet": every arrival order, cut in batches of two, so that a
  // FINALIZED comes in one batch and its COMPLETED in the next.
  const crossing: SimBuild[] = [
    { number: 1, status: "FAILURE", start: at, duration: 1_000 },
    { number: 2, status: "SUCCESS", start: at + 50, duration: 1_050 },
  ];
  const finishedCrossing = finishedOf("rv-cross/app", crossing);
  const permutations = (list: Body[]): Body[][] =>
    list.length <= 1
      ? [list]
      : list.flatMap((first, i) =>
          permutations([...list.slice(0, i), ...list.slice(i + 1)]).map((rest) => [first, ...rest]),
        );
  for (const [n, order] of permutations(finishedCrossing).entries()) {
    const name = order.map((body) => `${buildOf(body).number}${buildOf(body).phase[0]}`).join(" ");
    it(`finished phases across batches of two: ${name}`, async () => {
      await expectSame({
        name: `crossing ${n}`,
        policy: { min_consecutive_failures: 1 },
        bodies: order,
        batchSize: 2,
      });
    });
  }

  // Generated: half of a job's deliveries, its open incident (if any) resolved by hand, then the rest.
  // Compared with one by one, each batch's greens first: a green arriving late in the same batch can
  // break a streak that one by one as they came opens an incident for and resolves a moment later (the
  // named cases above); the batch opens none.
  for (const seed of Array.from({ length: 24 }, (_, i) => i + 1)) {
    const batchSize = [2, 5, 100][seed % 3] as number;
    it(`history ${seed}: an incident resolved by hand midway, the rest in batches of ${batchSize}`, async () => {
      const rand = random(1_000 + seed);
      const job = `rv-fence-${seed}/app`;
      const all = withRedeliveries(
        jobInOrder(
          randomHistory(rand, 14).flatMap((b) => deliveriesFor(job, b)),
          "shuffled",
          rand,
        ),
        rand,
      );
      const half = Math.floor(all.length / 2);
      await expectSame({
        greensFirst: true,
        name: `fence ${seed}`,
        policy: { min_consecutive_failures: 1 + (seed % 2) },
        before: all.slice(0, half),
        between: async (sourceId) => {
          const { results } = await env.DB.prepare(
            "SELECT id FROM incidents WHERE source_id = ?1 AND state != 'resolved'",
          )
            .bind(sourceId)
            .all<{ id: number }>();
          for (const { id } of results)
            await resolveIncident(env.DB, id, { actor: SYSTEM, note: null, at: nowIso() });
        },
        bodies: all.slice(half),
        batchSize,
      });
    });
  }
});
