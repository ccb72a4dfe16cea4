/**
 * A D1 binding that counts the queries made through it (each statement run, each statement of a
 * batch), so a caller that must stay within the plan's queries per invocation (50 on Free) can spend
 * what is left after reads it does not plan itself, such as a cache miss. Statements made here are
 * plain D1 statements to D1: the wrapper only counts.
 */
const RUNS = new Set<PropertyKey>(["first", "all", "run", "raw"]);

export interface CountedDb {
  db: D1Database;
  /** Queries made so far. */
  queries(): number;
}

export function countQueries(db: D1Database): CountedDb {
  let queries = 0;
  const real = new WeakMap<object, D1PreparedStatement>();
  const counted = (statement: D1PreparedStatement): D1PreparedStatement => {
    const proxy = new Proxy(statement, {
      get(target, property) {
        if (property === "bind") return (...values: unknown[]) => counted(target.bind(...values));
        const value = Reflect.get(target, property);
        if (typeof value !== "function") return value;
        if (!RUNS.has(property)) return value.bind(target);
        return (...args: unknown[]) => {
          queries += 1;
          return value.apply(target, args);
        };
      },
    });
    real.set(proxy, statement);
    return proxy;
  };
  const proxy = new Proxy(db, {
    get(target, property) {
      if (property === "prepare") return (sql: string) => counted(target.prepare(sql));
      if (property === "batch") {
        return (statements: D1PreparedStatement[]) => {
          queries += statements.length;
          return target.batch(statements.map((statement) => real.get(statement) ?? statement));
        };
      }
      const value = Reflect.get(target, property);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db: proxy, queries: () => queries };
}
