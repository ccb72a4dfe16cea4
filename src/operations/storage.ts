/**
 * What the database holds (GET /api/stats, the dashboard's Storage line): its size as D1 reports it
 * (`meta.size_after`, in bytes), the rows in each table, and the oldest event's date. One batch; each
 * count reads its table's narrowest index through (D1 bills every row read), so this is asked for on
 * demand, never polled.
 */

/** The tables the Worker writes (migrations/). */
const TABLES = ["alerts", "events", "jobs", "source_stats", "source_rejections", "dead_letters"] as const;

export interface Storage {
  /** Null when D1 does not report it. */
  database_bytes: number | null;
  rows: Record<(typeof TABLES)[number], number>;
  /** ISO 8601, or null when no event is stored. */
  oldest_event_at: string | null;
}

export async function storage(db: D1Database): Promise<Storage> {
  const [oldest, ...counts] = await db.batch<{ value: string | number | null }>([
    // The first entry of events_by_received_at.
    db.prepare("SELECT min(received_at) AS value FROM events"),
    ...TABLES.map((table) => db.prepare(`SELECT count(*) AS value FROM ${table}`)),
  ]);
  const size = oldest?.meta.size_after;
  return {
    database_bytes: typeof size === "number" ? size : null,
    rows: Object.fromEntries(
      TABLES.map((table, i) => [table, Number(counts[i]?.results[0]?.value ?? 0)]),
    ) as Storage["rows"],
    oldest_event_at: (oldest?.results[0]?.value as string | null | undefined) ?? null,
  };
}
