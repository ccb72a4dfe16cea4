/** The "Storage" line (on the sources page): database size, rows, the oldest event. */
import type { Storage } from "../../operations/storage";
import { Time } from "../shell/time";

const UNITS = ["B", "KB", "MB", "GB"] as const;

/** 1234567 → "1.2 MB" (decimal units, as Cloudflare states D1's limits). */
export function formatBytes(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${UNITS[unit]}`;
}

const count = (n: number, one: string, many: string) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

export function StorageLine({ storage }: { storage: Storage | null }) {
  if (!storage) return null;
  const { rows } = storage;
  return (
    <p class="muted" id="storage">
      <strong>Storage</strong>:{" "}
      {storage.database_bytes !== null ? formatBytes(storage.database_bytes) : "size unknown"} ·{" "}
      {count(rows.events, "event", "events")}, {count(rows.alerts, "alert", "alerts")},{" "}
      {count(rows.jobs, "job", "jobs")}, {count(rows.dead_letters, "dead letter", "dead letters")} · oldest
      event {storage.oldest_event_at ? <Time iso={storage.oldest_event_at} /> : "none"}
    </p>
  );
}
