/** Builders for plugin payloads and shortcuts for calling the Worker, shared by the tests. */
import { env, exports } from "cloudflare:workers";

export const ADMIN = { Authorization: "Bearer test-admin-token" };
export const JSON_TYPE = "application/json;charset=UTF-8"; // exactly what the plugin sends

export interface BuildSpec {
  /** Jenkins full name: item names joined by `/` (a multibranch branch is `feature%2Fx`). */
  job?: string;
  number?: number;
  phase?: string;
  status?: string;
  timestamp?: number;
  displayName?: string;
  extra?: Record<string, unknown>;
}

/** `acme/web-shop` → `job/acme/job/web-shop/`, each item name raw-encoded as Jenkins does. */
export function jobPath(fullName: string): string {
  return fullName
    .split("/")
    .map((item) => `job/${encodeURIComponent(item)}/`)
    .join("");
}

/** A payload in the plugin's field order; `status` only when given, as Gson omits nulls. */
export function notification(spec: BuildSpec = {}): Record<string, unknown> {
  const job = spec.job ?? "payments-api";
  const number = spec.number ?? 129;
  const phase = spec.phase ?? "STARTED";
  const leaf = job.split("/").at(-1) ?? job;
  return {
    name: leaf,
    display_name: spec.displayName ?? decodeURIComponent(leaf),
    url: jobPath(job),
    build: {
      full_url: `https://ci.example.com/${jobPath(job)}${number}/`,
      number,
      queue_id: 4242,
      timestamp: spec.timestamp ?? 1_764_000_000_000 + number * 1000,
      duration: 0,
      phase,
      ...(spec.status ? { status: spec.status } : {}),
      url: `${jobPath(job)}${number}/`,
      scm: { url: "https://git.example.com/acme/payments.git", changes: [], culprits: [] },
      artifacts: {},
      ...spec.extra,
    },
  };
}

export interface DeliverOptions {
  token?: string;
  path?: string;
  method?: string;
  contentType?: string | null;
  headers?: Record<string, string>;
}

/** POST a body to the webhook the way the plugin does (token in the query unless told otherwise). */
export function deliver(body: unknown, options: DeliverOptions = {}): Promise<Response> {
  const url = new URL(options.path ?? "/webhooks/jenkins", "https://itoc.example.com");
  if (options.token !== undefined) url.searchParams.set("token", options.token);
  const headers = new Headers(options.headers);
  if (options.contentType !== null) headers.set("Content-Type", options.contentType ?? JSON_TYPE);
  return exports.default.fetch(url, {
    method: options.method ?? "POST",
    headers,
    body: typeof body === "string" || body instanceof ReadableStream ? body : JSON.stringify(body),
  });
}

export function api(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  for (const [key, value] of Object.entries(ADMIN)) if (!headers.has(key)) headers.set(key, value);
  return exports.default.fetch(new URL(path, "https://itoc.example.com"), { ...init, headers });
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
