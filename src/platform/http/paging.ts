/** Query parameters and answers shared by the paged listings (`limit`, opaque `cursor`). */
import * as v from "valibot";
import { decodeCursor, encodeCursor } from "./cursor";

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

const LIMIT_MESSAGE = `expected a whole number from 1 to ${MAX_LIMIT}`;

/** An opaque `next_cursor` → the id it holds. */
export const CursorSchema = v.pipe(
  v.string(),
  v.check((cursor) => decodeCursor(cursor) !== undefined, "expected a next_cursor from an earlier page"),
  v.transform((cursor) => decodeCursor(cursor) as number),
);

export const PagingEntries = {
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d+$/, LIMIT_MESSAGE),
      v.transform(Number),
      v.minValue(1, LIMIT_MESSAGE),
      v.maxValue(MAX_LIMIT, LIMIT_MESSAGE),
    ),
    String(DEFAULT_LIMIT),
  ),
  cursor: v.optional(CursorSchema),
};

/** Rows fetched with `limit + 1` → the page and the cursor to the next one (null on the last). */
export function page<T extends { id: number }>(
  rows: T[],
  limit: number,
): { items: T[]; next_cursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, next_cursor: rows.length > limit && last ? encodeCursor(last.id) : null };
}
