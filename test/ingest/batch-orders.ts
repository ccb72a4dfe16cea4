/**
 * How several jobs' deliveries can reach one queue batch: each job's in an order of its own (shuffled,
 * its builds newest first, or one of Jenkins' own {@link ARRIVAL_ORDERS}), the jobs interleaved, and
 * about one in ten delivered again later (a plugin retry, a queue redelivery).
 */
import { ARRIVAL_ORDERS, arrivals } from "../../fixtures/delivery-orders";

type Body = Record<string, unknown>;
const build = (body: Body) => body.build as { number: number; phase: string };

export const JOB_ORDERS = ["shuffled", "builds in reverse order", ...ARRIVAL_ORDERS] as const;
export type JobOrder = (typeof JOB_ORDERS)[number];

const shuffled = (bodies: Body[], rand: () => number) =>
  bodies
    .map((body) => ({ body, key: rand() }))
    .sort((a, b) => a.key - b.key)
    .map(({ body }) => body);

/** One job's deliveries in `order`. "builds in reverse order": newest build first, its phases shuffled. */
export function jobInOrder(bodies: Body[], order: JobOrder, rand: () => number): Body[] {
  if (order === "shuffled") return shuffled(bodies, rand);
  if (order === "builds in reverse order") {
    const numbers = [...new Set(bodies.map((body) => build(body).number))].sort((a, b) => b - a);
    return numbers.flatMap((n) =>
      shuffled(
        bodies.filter((body) => build(body).number === n),
        rand,
      ),
    );
  }
  return arrivals(bodies, order, rand);
}

/** The jobs' lists merged at random, each list keeping its own order. */
export function interleaved(lists: Body[][], rand: () => number): Body[] {
  const queues = lists.map((list) => [...list]);
  const merged: Body[] = [];
  for (
    let left = queues.filter((q) => q.length > 0);
    left.length > 0;
    left = left.filter((q) => q.length > 0)
  ) {
    merged.push((left[Math.floor(rand() * left.length)] as Body[]).shift() as Body);
  }
  return merged;
}

/** About one body in ten delivered again, at a random later place. */
export function withRedeliveries(bodies: Body[], rand: () => number): Body[] {
  const result = [...bodies];
  for (const body of bodies) {
    if (rand() >= 0.1) continue;
    const after = result.indexOf(body) + 1;
    result.splice(after + Math.floor(rand() * (result.length - after + 1)), 0, body);
  }
  return result;
}
