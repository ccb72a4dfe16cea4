/** This isolate's cache of the silences in force per source ({@link IsolateCache}: plain values, 30 s). */
import { nowMs } from "../platform/clock";
import { IsolateCache } from "../platform/isolate-cache";
import type { Silence } from "./rules";
import { silencesInForce } from "./store";

/** Source id → the silences that may apply to its incidents (its own and every source's), not ended. */
const silencesBySource = new IsolateCache<Silence[]>();

/**
 * The silences that may apply to a source's incidents, for ingest to decide whether a new incident
 * opens silenced (`isSilenced(await silencesFor(env, id), target, now)`, src/silences/rules.ts).
 * Upcoming ones are included, so the 30 s isolate cache cannot miss one that starts meanwhile; a
 * silence created or ended in another isolate is seen within 30 s (the cron trigger corrects any
 * incident opened in between).
 */
export async function silencesFor(
  env: Pick<Env, "DB">,
  sourceId: string,
  now = new Date(nowMs()),
): Promise<Silence[]> {
  const cached = silencesBySource.get(sourceId);
  if (cached) return cached;
  const found = await silencesInForce(env.DB, now, { sourceId });
  silencesBySource.set(sourceId, found);
  return found;
}

/** After a silence is created or ended here: this isolate sees the change at once. */
export function forgetSilences(): void {
  silencesBySource.clear();
}
