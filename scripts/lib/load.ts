/** One timed load run with autocannon: fixed connections, fixed duration, the server's CPU measured. */
import autocannon from "autocannon";
import type { SoakCounts } from "../../fixtures/soak.ts";
import { cpuMicros } from "./proc.ts";

export interface LoadResult {
  rps: number;
  requests: number;
  p50_ms: number;
  p99_ms: number;
  non2xx: number;
  errors: number;
  cpu_us_per_request: number;
}

export interface LoadOptions {
  url: URL;
  connections: number;
  seconds: number;
  /** The workerd processes serving `url`, for CPU per request. */
  pids: Set<number>;
  /** Builds each request: path (with query) and body; undefined body means GET. */
  next: () => { path: string; body?: string };
  headers?: Record<string, string>;
}

export async function load(options: LoadOptions): Promise<LoadResult> {
  const cpuBefore = cpuMicros(options.pids);
  const result = await autocannon({
    url: options.url.origin,
    connections: options.connections,
    duration: options.seconds,
    requests: [
      {
        setupRequest: (request) => {
          const { path, body } = options.next();
          return body === undefined
            ? { ...request, method: "GET", path, headers: { ...options.headers } }
            : {
                ...request,
                method: "POST",
                path,
                body,
                headers: { "content-type": "application/json;charset=UTF-8", ...options.headers },
              };
        },
      },
    ],
  });
  const cpu = cpuMicros(options.pids) - cpuBefore;
  const requests = result.requests.total;
  return {
    rps: requests / options.seconds,
    requests,
    p50_ms: result.latency.p50,
    p99_ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    cpu_us_per_request: requests > 0 ? cpu / requests : 0,
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * POSTs each of `requests` once, `connections` at a time, with the client the timing runs use, and
 * counts the answers (as the soak's `sendAll` does; `duplicates` is not read from the bodies here).
 */
export async function postEach(
  url: URL,
  requests: { path: string; body: string }[],
  connections: number,
): Promise<SoakCounts> {
  let next = 0;
  const result = await autocannon({
    url: url.origin,
    connections: Math.min(connections, requests.length),
    amount: requests.length,
    requests: [
      {
        setupRequest: (request) => {
          const { path, body } = requests[next++ % requests.length] as { path: string; body: string };
          return {
            ...request,
            method: "POST",
            path,
            body,
            headers: { "content-type": "application/json;charset=UTF-8" },
          };
        },
      },
    ],
  });
  const codes = Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [Number(code), s.count ?? 0]);
  const count = (matches: (code: number) => boolean) =>
    codes.reduce((sum, [code, n]) => sum + (matches(code as number) ? (n as number) : 0), 0);
  const server = count((code) => code >= 500);
  const accepted = result["2xx"];
  return {
    sent: result.requests.total,
    accepted,
    deferred: count((code) => code === 202),
    duplicates: 0,
    server_errors: server,
    other_errors: result.non2xx - server + result.errors + result.timeouts,
  };
}
