/**
 * Migrations never lose or hide what is stored: a database written by the previous migration set (the
 * rows the previous Worker version wrote, as it wrote them) is migrated to the current set, and the
 * current read API returns every alert, event and job on it.
 */
import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN, callWorker } from "../helpers";

const db = env.MIGRATION_DB;
/** The newest migration the previous release shipped: what it wrote is what this test migrates. */
const PREVIOUS_RELEASE = "0006_notifications.sql";
const previous = env.TEST_MIGRATIONS.filter((migration) => migration.name <= PREVIOUS_RELEASE);
const at = "2026-11-20T10:00:00.000Z";

const read = (path: string) => callWorker(path, { headers: ADMIN }, { DB: db });

beforeAll(async () => {
  await applyD1Migrations(db, previous);
  // What the previous release's ingest wrote for one failing build and one green one.
  await db.batch([
    db
      .prepare(
        `INSERT INTO alerts (source_id, source_name, job, job_display_name, build_number, build_url, phase,
           phase_rank, status, kind, priority, title, branch, commit_sha, event_count, first_seen_at,
           last_seen_at, state, resolved_at, resolved_by_build, flapping, finished_ts, duration_ms, culprits,
           changes_count, test_summary, summary)
         VALUES ('src-1', 'Old Jenkins', 'acme/api', 'api', 41, 'https://ci/job/acme/job/api/41/', 'FINALIZED', 4,
           'FAILURE', 'ALERT', 'HIGH', 'acme/api #41 FAILURE', 'main', 'abc123', 2, ?1, ?1, 'resolved', ?1, 42,
           0, 1764000000000, 60000, '["alice"]', 3,
           '{"total":10,"failed":1,"passed":9,"skipped":0,"failed_tests":["T1"]}', 'acme/api #41 failed.'),
           ('src-1', 'Old Jenkins', 'acme/api', 'api', 42, NULL, 'FINALIZED', 4, 'SUCCESS', 'RESOLVE', 'LOW',
           'acme/api #42 SUCCESS', NULL, NULL, 1, ?1, ?1, 'resolved', ?1, 42, 0, 1764000100000, NULL, NULL,
           NULL, NULL, 'acme/api #42 succeeded.')`,
      )
      .bind(at),
    db
      .prepare(
        `INSERT INTO events (event_uid, source_id, job, build_number, phase, build_timestamp, status, kind,
           priority, received_at, body, body_truncated, body_format)
         VALUES ('u1', 'src-1', 'acme/api', 41, 'COMPLETED', 1, 'FAILURE', 'ALERT', 'HIGH', ?1, '{"a":1}', 0, 'json'),
           ('u2', 'src-1', 'acme/api', 41, 'FINALIZED', 2, 'FAILURE', 'ALERT', 'HIGH', ?1, '<job/>', 0, 'xml'),
           ('u3', 'src-1', 'acme/api', 42, 'FINALIZED', 3, 'SUCCESS', 'RESOLVE', 'LOW', ?1, '{"b":2}', 1, 'json')`,
      )
      .bind(at),
    db
      .prepare(
        `INSERT INTO jobs (source_id, source_name, job, display_name, state, last_build, last_status,
           last_success_build, failing_streak, updated_at)
         VALUES ('src-1', 'Old Jenkins', 'acme/api', 'api', 'passing', 42, 'SUCCESS', 42, 0, ?1)`,
      )
      .bind(at),
    // A notification on its way (retrying) when the upgrade lands.
    db
      .prepare(
        `INSERT INTO notifications (incident_id, destination_id, event, state, attempts, created_at, next_attempt_at)
         VALUES (7, 3, 'opened', 'pending', 2, ?1, ?1)`,
      )
      .bind(at),
  ]);
  await applyD1Migrations(db, env.TEST_MIGRATIONS);
});

describe("migrating a database the previous release wrote", () => {
  it("keeps the webhook-id a notification in flight was sent under, so its retries still carry it", async () => {
    const row = await db.prepare("SELECT message_id FROM notifications WHERE incident_id = 7").first();
    expect(row).toEqual({ message_id: "itoc_incident7_opened_destination3" });
  });

  it("keeps every alert readable, with its decoded fields", async () => {
    const res = await read("/api/alerts?state=resolved");
    expect(res.status).toBe(200);
    const { alerts } = (await res.json()) as { alerts: Record<string, unknown>[] };
    expect(alerts.map((a) => a.build_number)).toEqual([42, 41]);
    expect(alerts[1]).toMatchObject({
      source_name: "Old Jenkins",
      commit: "abc123",
      culprits: ["alice"],
      flapping: false,
      test_summary: { failed: 1, failed_tests: ["T1"] },
      resolved_by_build: 42,
    });
  });

  it("keeps every event of a timeline, JSON and XML", async () => {
    const { alerts } = (await (await read("/api/alerts?state=resolved")).json()) as {
      alerts: { id: number }[];
    };
    const res = await read(`/api/alerts/${alerts[1]?.id}`);
    const alert = (await res.json()) as { events: { phase: string; body_format: string }[] };
    expect(alert.events.map((e) => [e.phase, e.body_format])).toEqual([
      ["COMPLETED", "json"],
      ["FINALIZED", "xml"],
    ]);
  });

  it("keeps job health", async () => {
    const { jobs } = (await (await read("/api/jobs")).json()) as { jobs: Record<string, unknown>[] };
    expect(jobs).toEqual([
      expect.objectContaining({ job: "acme/api", state: "passing", last_success_build: 42 }),
    ]);
  });

  it("counts no event of a migrated alert as purged, and starts with no dead letters", async () => {
    const { alerts } = (await (await read("/api/alerts?state=resolved")).json()) as {
      alerts: { purged_events: number; event_count: number }[];
    };
    expect(alerts.map((a) => [a.event_count, a.purged_events])).toEqual([
      [1, 0],
      [2, 0],
    ]);
    const res = await read("/api/dead-letters");
    expect(await res.json()).toEqual({ dead_letters: [], next_cursor: null });
  });
});
