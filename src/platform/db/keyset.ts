/** Newest-first keyset pages (`id < before ORDER BY id DESC`) with equality filters on known columns. */

/** A condition with one bound value: `sql` is given the value's placeholder (`?3`). */
export interface BoundCondition {
  sql: (placeholder: string) => string;
  value: string | number;
}

interface PageQuery<C extends string> {
  select: string;
  from: string;
  filters: Partial<Record<C, string>>;
  /** The filterable columns: only these names ever reach the SQL text. */
  columns: readonly C[];
  /** Extra fixed conditions (constant SQL, no input). */
  conditions?: string[];
  /** Extra conditions whose input is bound, never written into the SQL text. */
  bound?: BoundCondition[];
}

export async function keysetPage<T, C extends string = string>(
  db: D1Database,
  query: PageQuery<C>,
  limit: number,
  before?: number,
  after?: number,
): Promise<T[]> {
  const where = [...(query.conditions ?? [])];
  const params: (string | number)[] = [];
  for (const column of query.columns) {
    const value = query.filters[column];
    if (value === undefined) continue;
    params.push(value);
    where.push(`${column} = ?${params.length}`);
  }
  for (const condition of query.bound ?? []) {
    params.push(condition.value);
    where.push(condition.sql(`?${params.length}`));
  }
  if (before !== undefined) {
    params.push(before);
    where.push(`id < ?${params.length}`);
  }
  if (after !== undefined) {
    params.push(after);
    where.push(`id > ?${params.length}`);
  }
  params.push(limit);
  const sql = `SELECT ${query.select} FROM ${query.from}
    ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
    ORDER BY id DESC LIMIT ?${params.length}`;
  const { results } = await db
    .prepare(sql)
    .bind(...params)
    .all<T>();
  return results;
}
