/**
 * The median of `value` over the rows of `from` per group, in SQL: one row per group, column `ms`
 * (rounded to an integer), with `n` the number of values it was taken from. The middle row, or the
 * mean of the two middle rows, as `ORDER BY … LIMIT … OFFSET` would pick them, but for many groups at once.
 */
export const groupMedian = (from: string, value: string, groupBy: string) => `
  SELECT ${groupBy}, CAST(round(avg(v)) AS INTEGER) AS ms, max(c) AS n
  FROM (SELECT ${groupBy}, ${value} AS v,
               row_number() OVER (PARTITION BY ${groupBy} ORDER BY ${value}) AS r,
               count(*) OVER (PARTITION BY ${groupBy}) AS c
        FROM ${from} WHERE ${value} IS NOT NULL)
  WHERE r IN ((c + 1) / 2, (c + 2) / 2)
  GROUP BY ${groupBy}`;
