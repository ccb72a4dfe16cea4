/**
 * Rows cut into JSON arrays small enough to bind as one D1 parameter: D1 refuses a string over 2 MB
 * (its row and value limit, which Miniflare does not enforce). A JS string's length counts UTF-16
 * units and one unit is at most 3 bytes of UTF-8, so {@link MAX_CHUNK_CHARS} units stay under it.
 */
export const MAX_CHUNK_CHARS = 600_000;

export interface JsonChunk {
  /** The rows as one JSON array. */
  json: string;
  /** The index of its first row among all the rows. */
  first: number;
}

/** `rows` as consecutive chunks of at most `maxChars` each (a row longer than that alone in its chunk). */
export function jsonChunks(rows: unknown[], maxChars = MAX_CHUNK_CHARS): JsonChunk[] {
  const chunks: JsonChunk[] = [];
  let parts: string[] = [];
  let size = 2;
  let first = 0;
  rows.forEach((row, i) => {
    const part = JSON.stringify(row);
    if (parts.length > 0 && size + part.length + 1 > maxChars) {
      chunks.push({ json: `[${parts.join(",")}]`, first });
      parts = [];
      size = 2;
      first = i;
    }
    parts.push(part);
    size += part.length + 1;
  });
  if (parts.length > 0) chunks.push({ json: `[${parts.join(",")}]`, first });
  return chunks;
}
