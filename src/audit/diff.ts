/** The short before/after an audit entry carries: only the fields a change altered. */

type Fields = Record<string, unknown>;

/**
 * `{ before, after }` holding only the top-level fields whose values differ (compared as JSON), so a
 * one-field change reads as one field; both empty when nothing changed.
 */
export function changedFields(before: Fields, after: Fields): { before: Fields; after: Fields } {
  const diff = { before: {} as Fields, after: {} as Fields };
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key]) === JSON.stringify(after[key])) continue;
    diff.before[key] = before[key] ?? null;
    diff.after[key] = after[key] ?? null;
  }
  return diff;
}
