/**
 * Plugin payload builders, pure (no Workers imports) so Node scripts (the soak, the benchmark) can
 * use them as well as the tests.
 */

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
