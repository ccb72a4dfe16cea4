/** Shared by the heartbeat tests: builds with chosen start times, a job's heartbeat, the cron on a fake clock. */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import worker from "../../src/index";
import { api, buildPayload, deliver } from "../helpers";

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const iso = (ms: number) => new Date(ms).toISOString();

export interface TestSource {
  id: string;
  token: string;
}

const scm = { url: "https://git.example.com/acme/app.git", branch: "main", changes: [], culprits: [] };

/** Build `number` of `job`: STARTED at `startedAt` (Jenkins' clock), FINALIZED SUCCESS a minute later. */
export async function build(source: TestSource, job: string, number: number, startedAt: number) {
  for (const [phase, timestamp] of [
    ["STARTED", startedAt],
    ["FINALIZED", startedAt + MINUTE],
  ] as const) {
    const status = phase === "FINALIZED" ? "SUCCESS" : undefined;
    const body = buildPayload({ job, number, phase, status, timestamp, extra: { scm } });
    expect((await deliver(body, { token: source.token })).status).toBe(200);
  }
}

/** Builds 1…n of `job`, started at each of `starts`. */
export async function builds(source: TestSource, job: string, starts: number[]) {
  for (const [i, startedAt] of starts.entries()) await build(source, job, i + 1, startedAt);
}

export interface JobJson {
  id: number;
  job: string;
  job_path: string;
  last_build: number;
  heartbeat: { mode: string; every: number | null; grace: number | null; due_at: string | null };
}

export async function jobNamed(source: TestSource, name: string): Promise<JobJson> {
  const res = await api(`/api/jobs?source_id=${source.id}&limit=200`);
  const { jobs } = (await res.json()) as { jobs: JobJson[] };
  const found = jobs.find((j) => j.job === name);
  if (!found) throw new Error(`no job ${name}`);
  return found;
}

export const heartbeatOf = async (source: TestSource, name: string) =>
  (await jobNamed(source, name)).heartbeat;

export function putHeartbeat(id: number | string, body: unknown) {
  return api(`/api/jobs/${id}/heartbeat`, {
    method: "PUT",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

/** The cron trigger, as if scheduled at `at`. */
export async function runCron(at: number, overrides: Partial<Env> = {}) {
  const ctx = createExecutionContext();
  const controller = createScheduledController({ scheduledTime: at, cron: "*/5 * * * *" });
  await worker.scheduled(controller, { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
}
