/**
 * Named parameters for D1, which has positional ones only (`?NNN`, at most 100 per statement): SQL
 * refers to a parameter by name (`ref("job")` → `?4`) and `bind` takes the values by name, both from
 * one list, so adding a parameter cannot shift the others.
 */
const MAX_PARAMETERS = 100;

export function namedParams<const N extends readonly string[]>(names: N) {
  if (names.length > MAX_PARAMETERS) throw new Error(`D1 binds at most ${MAX_PARAMETERS} parameters`);
  /** How many parameters each statement takes (its highest `?NNN`): plain values, computed once. */
  const counts = new Map<string, number>();
  return {
    ref(name: N[number]): string {
      return `?${names.indexOf(name) + 1}`;
    },
    bind(db: D1Database, sql: string, values: Record<N[number], unknown>): D1PreparedStatement {
      let count = counts.get(sql);
      if (count === undefined) {
        count = Math.max(0, ...[...sql.matchAll(/\?(\d+)/g)].map((match) => Number(match[1])));
        counts.set(sql, count);
      }
      return db.prepare(sql).bind(...names.slice(0, count).map((name: N[number]) => values[name] ?? null));
    },
  };
}
