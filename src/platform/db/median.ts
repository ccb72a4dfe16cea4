/**
 * The median of `value` over the rows of `from`, per group of the columns `by`, in SQL: one row per
 * group with the group's columns, `ms` (rounded to an integer) and `n`, the number of values it was
 * taken from. The middle row, or the mean of the two middle rows. With no `by` (one group), the rows
 * are picked by `ORDER BY … LIMIT … OFFSET`, which costs less than the window that many groups need.
 */
export function groupMedian(from: string, value: string, by: string[]): string {
  const values = `(SELECT ${value} AS v FROM ${from} WHERE ${value} IS NOT NULL)`;
  if (by.length === 0) {
    const n = `(SELECT count(*) FROM ${values})`;
    return `
  SELECT CAST(round(avg(v)) AS INTEGER) AS ms, ${n} AS n
  FROM (SELECT v FROM ${values} ORDER BY v LIMIT 2 - ${n} % 2 OFFSET (${n} - 1) / 2)`;
  }
  const columns = by.map((column) => `${column}, `).join("");
  return `
  SELECT ${columns}CAST(round(avg(v)) AS INTEGER) AS ms, max(c) AS n
  FROM (SELECT ${columns}${value} AS v,
               row_number() OVER byValue AS r,
               count(*) OVER (byValue ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS c
        FROM ${from} WHERE ${value} IS NOT NULL
        WINDOW byValue AS (PARTITION BY ${by.join(", ")} ORDER BY ${value}))
  WHERE r IN ((c + 1) / 2, (c + 2) / 2)
  GROUP BY ${by.join(", ")}`;
}
