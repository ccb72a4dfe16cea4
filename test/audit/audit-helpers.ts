/** Reading the audit log back in the audit tests: through `GET /api/audit`, and every row raw. */
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { AuditRecord } from "../../src/audit/store";
import { api } from "../helpers";

/** The entries `GET /api/audit` lists for `filters`, newest first (one page of up to 200). */
export async function auditEntries(filters: Record<string, string>): Promise<AuditRecord[]> {
  const res = await api(`/api/audit?${new URLSearchParams({ limit: "200", ...filters })}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { entries: AuditRecord[] }).entries;
}

/** The entries for one target, oldest first (the order they happened in). */
export const auditOf = async (target: string) => (await auditEntries({ target })).reverse();

/** Every stored row as text, to look for secrets in. */
export async function everyAuditRow(): Promise<string> {
  const { results } = await env.DB.prepare("SELECT * FROM audit_log").all();
  return JSON.stringify(results);
}

/** The actor the admin token is recorded as through the API, and through a dashboard signed in as `name`. */
export const API_ACTOR = { kind: "admin-token", name: "admin token", ip: null };
export const dashboardActor = (name: string) => ({ kind: "admin-token", name, ip: null });
