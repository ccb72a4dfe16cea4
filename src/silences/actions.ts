/**
 * Creating and ending silences, for the API and the dashboard alike: the row (and its audit entry, in
 * the same batch), then this isolate's
 * silence cache dropped and the incidents brought in line at once (applySilences). Should that last
 * step fail, the silence stands and the cron trigger applies it within 5 minutes: the failure is
 * logged, not answered, so a client never retries a create that happened.
 */

import type { Actor } from "../audit/actor";
import { queriesPerInvocation } from "../platform/vars";
import { findSourceById } from "../sources/store";
import { forgetSilences } from "./cache";
import { applySilences } from "./effects";
import type { Silence } from "./rules";
import type { NewSilence } from "./schema";
import { endSilence, insertSilence } from "./store";

type SilenceEnv = Pick<Env, "DB" | "SOURCES" | "D1_QUERIES_PER_INVOCATION">;

async function applyNow(env: SilenceEnv, now: Date, spent: number): Promise<void> {
  forgetSilences();
  try {
    await applySilences(env, now, queriesPerInvocation(env) - spent);
  } catch (error) {
    console.error(JSON.stringify({ event: "silences_apply_failed", error: String(error) }));
  }
}

/**
 * The new silence; "no-such-source" when it names a source that does not exist, "too-many" when
 * MAX_SILENCES_IN_FORCE are in force already (nothing stored either way).
 */
export async function createSilence(
  env: SilenceEnv,
  silence: NewSilence,
  now: Date,
  actor: Actor,
): Promise<Silence | "no-such-source" | "too-many"> {
  const sourceId = silence.match.source_id;
  if (sourceId !== undefined && !(await findSourceById(env.SOURCES, sourceId))) return "no-such-source";
  const created = await insertSilence(env.DB, silence, now, actor);
  if (created !== "too-many") await applyNow(env, now, 2);
  return created;
}

/** Ends it now (idempotent); null when there is no such silence. */
export async function endSilenceNow(
  env: SilenceEnv,
  id: number,
  now: Date,
  actor: Actor,
): Promise<Silence | null> {
  const ended = await endSilence(env.DB, id, now, actor);
  if (ended) await applyNow(env, now, 3);
  return ended;
}
