/**
 * The message POST /api/destinations/:id/test sends: a made-up incident (id 0, never stored) with a
 * failing build, so the receiver shows every part of a real notification.
 */
import type { ApiAlert, ApiIncident, NotificationContent } from "./content";

export function testContent(origin: string, now: Date): NotificationContent {
  const at = now.toISOString();
  const incident: ApiIncident = {
    id: 0,
    kind: "failure",
    source_id: "00000000-0000-0000-0000-000000000000",
    source_name: "ITOC360 test",
    provider: "jenkins",
    job: "itoc360/notification-test",
    job_display_name: "notification-test",
    job_path: "itoc360/notification-test",
    branch: "main",
    state: "open",
    priority: "HIGH",
    first_build: 1,
    last_build: 1,
    build_count: 1,
    opened_at: at,
    acknowledged_at: null,
    acknowledged_by: null,
    resolved_at: null,
    resolved_by: null,
    resolved_by_build: null,
    resolved_by_name: null,
    silenced: false,
    flaky: false,
    alert_ids: [],
    latest_alert_id: null,
  };
  const alert: ApiAlert = {
    id: 0,
    source_id: incident.source_id,
    source_name: incident.source_name,
    provider: "jenkins",
    job: "itoc360/notification-test",
    job_display_name: "notification-test",
    build_number: 1,
    build_url: null,
    phase: "FINALIZED",
    status: "FAILURE",
    kind: "ALERT",
    priority: "HIGH",
    state: "open",
    resolved_at: null,
    resolved_by_build: null,
    flapping: false,
    title: "itoc360/notification-test #1 FAILURE",
    summary: "A test notification from ITOC360: nothing is broken.",
    branch: "main",
    commit: "0000000",
    culprits: ["itoc360"],
    changes_count: 0,
    test_summary: { total: 1, failed: 1, passed: 0, skipped: 0, failed_tests: ["NotificationTest.delivers"] },
    duration_ms: 1000,
    event_count: 1,
    purged_events: 0,
    first_seen_at: at,
    last_seen_at: at,
  };
  return {
    event: "test",
    incident,
    alert,
    incidentUrl: new URL("/incidents", origin).href,
    at,
    deploysBefore: [],
  };
}
