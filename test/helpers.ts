/** Builders for plugin payloads and shortcuts for calling the Worker, shared by the tests. */
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { buildPayload, JSON_TYPE } from "../fixtures/payloads.ts";
import worker from "../src/index";
import { nowIso } from "../src/platform/clock";

export {
  type BuildSpec,
  buildPayload,
  JSON_TYPE,
  jobPath,
  toPluginJson,
  toPluginXml,
  XML_TYPE,
} from "../fixtures/payloads.ts";

/** The test ADMIN_TOKEN is set once, in vitest.config.ts. */
export const ADMIN = { Authorization: `Bearer ${env.ADMIN_TOKEN}` };

export interface DeliverOptions {
  token?: string;
  path?: string;
  method?: string;
  contentType?: string | null;
  headers?: Record<string, string>;
  /** Bindings to swap in (a failing D1, a tight limiter, a capturing queue…). */
  env?: Partial<Env>;
}

const ORIGIN = "https://itoc.example.com";

/**
 * Calls the Worker: through `exports.default.fetch`, or, with `overrides`, with those bindings swapped
 * in (and waits for the work it hands to waitUntil, so what it writes after answering is there too).
 */
export async function callWorker(path: string | URL, init: RequestInit = {}, overrides?: Partial<Env>) {
  const url = new URL(path, ORIGIN);
  if (!overrides) return exports.default.fetch(url, init);
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(url, init), { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

/** POST a body to the webhook the way the plugin does (token in the query unless told otherwise). */
export function deliver(body: unknown, options: DeliverOptions = {}): Promise<Response> {
  const url = new URL(options.path ?? "/webhooks/jenkins", ORIGIN);
  if (options.token !== undefined) url.searchParams.set("token", options.token);
  const headers = new Headers(options.headers);
  if (options.contentType !== null) headers.set("Content-Type", options.contentType ?? JSON_TYPE);
  const init = {
    method: options.method ?? "POST",
    headers,
    body: typeof body === "string" || body instanceof ReadableStream ? body : JSON.stringify(body),
  };
  return callWorker(url, init, options.env);
}

/** The admin API, with the test's admin token unless the call sets its own Authorization. */
export function api(path: string, init: RequestInit = {}, overrides?: Partial<Env>): Promise<Response> {
  const headers = new Headers(init.headers);
  for (const [key, value] of Object.entries(ADMIN)) if (!headers.has(key)) headers.set(key, value);
  return callWorker(path, { ...init, headers }, overrides);
}

export async function createSource(name = "Jenkins (test)"): Promise<{ id: string; token: string }> {
  const res = await api("/api/sources", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ name }),
  });
  if (res.status !== 201) throw new Error(`creating a source answered ${res.status}`);
  return res.json();
}

/** A notification destination made through the API (201 expected): its id, and a webhook's secret. */
export async function createDestination(
  body: Record<string, unknown>,
): Promise<{ id: number; secret?: string }> {
  const res = await api("/api/destinations", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  if (res.status !== 201)
    throw new Error(`creating a destination answered ${res.status}: ${await res.text()}`);
  return res.json();
}

/** Everything stored, for "nothing changed" assertions. */
export async function storageSnapshot(): Promise<unknown> {
  const alerts = await env.DB.prepare("SELECT * FROM alerts ORDER BY id").all();
  const events = await env.DB.prepare("SELECT * FROM events ORDER BY id").all();
  const keys = await env.SOURCES.list();
  const kv = await Promise.all(
    keys.keys.map(async (key) => [key.name, await env.SOURCES.get(key.name), key.metadata]),
  );
  return { alerts: alerts.results, events: events.results, kv };
}

export interface AlertJson {
  id: number;
  job: string;
  job_display_name: string;
  build_number: number;
  phase: string;
  status: string | null;
  kind: string;
  priority: string;
  title: string;
  event_count: number;
  source_id: string;
  source_name: string;
  [key: string]: unknown;
}

export async function getAlert(id: number): Promise<AlertJson & { events: Record<string, unknown>[] }> {
  const res = await api(`/api/alerts/${id}`);
  if (res.status !== 200) throw new Error(`GET alert answered ${res.status}`);
  return res.json();
}

/**
 * Polls `check` until it returns a value `done` accepts, for what the queue consumer writes (it runs
 * beside the tests, batching messages for up to a second). Returns the last value either way.
 */
export async function eventually<T>(
  check: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await check();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await check();
  }
  return value;
}

/** A dashboard session cookie (`name=value`), signed in with the admin token. */
export async function dashboardSession(): Promise<string> {
  const res = await exports.default.fetch("https://itoc.example.com/login", {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://itoc.example.com" },
    body: new URLSearchParams({ token: env.ADMIN_TOKEN, next: "/" }).toString(),
  });
  return (res.headers.get("Set-Cookie") ?? "").split(";")[0] ?? "";
}

/** A dashboard page with a session (redirects not followed); a form post when `form` is given. */
export function dashboardPage(
  path: string,
  session: string,
  form?: Record<string, string>,
): Promise<Response> {
  const headers = new Headers({ Cookie: session });
  if (form) {
    headers.set("Content-Type", "application/x-www-form-urlencoded");
    headers.set("Origin", "https://itoc.example.com");
  }
  return exports.default.fetch(new URL(path, "https://itoc.example.com"), {
    method: form ? "POST" : "GET",
    redirect: "manual",
    headers,
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
}

/** An EVENTS_QUEUE message (version 1) as the webhook sends it, for one failing build of `job`. */
export function queuedDelivery(
  sourceId: string,
  job: string,
  number = 1,
  extra: Record<string, unknown> = {},
) {
  return {
    v: 1,
    source_id: sourceId,
    received_at: nowIso(),
    body: JSON.stringify(buildPayload({ job, number, phase: "FINALIZED", status: "FAILURE" })),
    format: "json",
    truncated: false,
    reason: "busy",
    ...extra,
  };
}
