/**
 * Token rotation, as plain data: which token hashes a source has, what a rotation writes, and what a
 * source shows of its tokens. No KV here; ./store.ts writes the plan and ./actions.ts runs it.
 *
 * A rotation gives the source a new current token and retires the old one at `now + grace`. Tokens
 * rotated out earlier and still working are retired no later than that either (a rotation never
 * extends one): rotating twice in a row keeps both old tokens until the first deadline or the new
 * one, whichever comes first, and rotating with no grace ends every old token at once.
 */

/** A token hash moved out by a rotation, and when it stops working (ISO 8601). */
export interface RetiringToken {
  hash: string;
  expires_at: string;
}

/** A source's token hashes: the current one and those rotated out that still work, newest first. */
export interface SourceTokens {
  current: string;
  previous: RetiringToken[];
}

/** What a rotation writes, besides the new token's record. */
export interface RotationPlan {
  /** The source's token hashes after the rotation. */
  tokens: SourceTokens;
  /** Hashes refused from now on (`revoked:` keys): with no grace. */
  revoke: string[];
  /** Hashes refused from a later time (`expires:` keys): with a grace, or capped by this one. */
  expire: RetiringToken[];
}

/** The plan for rotating `tokens` to `newHash` with `graceMs` of grace for the old ones. */
export function planRotation(
  tokens: SourceTokens,
  newHash: string,
  graceMs: number,
  now: number,
): RotationPlan {
  const deadline = now + graceMs;
  const plan: RotationPlan = { tokens: { current: newHash, previous: [] }, revoke: [], expire: [] };
  const old = [
    { hash: tokens.current, until: Number.POSITIVE_INFINITY },
    ...tokens.previous.map((token) => ({ hash: token.hash, until: Date.parse(token.expires_at) })),
  ];
  for (const { hash, until } of old) {
    if (!(until > now)) continue; // already stopped (or unreadable, which the lookup refuses too)
    if (until <= deadline) {
      // Already stops by the new deadline: nothing to write, only to keep showing.
      plan.tokens.previous.push({ hash, expires_at: new Date(until).toISOString() });
    } else if (deadline <= now) {
      plan.revoke.push(hash);
    } else {
      const retiring = { hash, expires_at: new Date(deadline).toISOString() };
      plan.expire.push(retiring);
      plan.tokens.previous.push(retiring);
    }
  }
  plan.tokens.previous.sort((a, b) => b.expires_at.localeCompare(a.expires_at));
  return plan;
}

/** The tokens' hashes still working at `now` (those a revoke must refuse). */
export function workingHashes(tokens: SourceTokens, now: number): string[] {
  return [tokens.current, ...stillWorking(tokens, now).map((token) => token.hash)];
}

/** What a source shows of its tokens: never a value or a hash, only which is current and until when. */
export type TokenView = { current: true } | { current: false; expires_at: string };

export function tokenViews(tokens: SourceTokens, revoked: boolean, now: number): TokenView[] {
  if (revoked) return [];
  return [
    { current: true },
    ...stillWorking(tokens, now).map((token) => ({ current: false as const, expires_at: token.expires_at })),
  ];
}

/** The latest time a rotated-out token still works, if any does (for listings). */
export function previousUntil(tokens: SourceTokens, now: number): string | undefined {
  return stillWorking(tokens, now)[0]?.expires_at;
}

const stillWorking = (tokens: SourceTokens, now: number) =>
  tokens.previous.filter((token) => Date.parse(token.expires_at) > now);
