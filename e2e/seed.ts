/** Data for the browser tests, put in through the API and the webhook as Jenkins would. */
import { type BuildSpec, buildPayload, JSON_TYPE, toPluginJson } from "../fixtures/payloads.ts";
import type { Dev } from "./harness.ts";

export async function createSource(dev: Dev, name: string): Promise<{ id: string; token: string }> {
  const res = await fetch(`${dev.base}/api/sources`, {
    method: "POST",
    headers: { Authorization: `Bearer ${dev.adminToken}`, "Content-Type": "application/json" },
    body: JSON.stringify({ name }),
  });
  if (res.status !== 201) throw new Error(`creating a source answered ${res.status}`);
  return (await res.json()) as { id: string; token: string };
}

/** One plugin event (see fixtures/payloads.ts for `spec`, `extra` for build fields); its alert's id. */
export async function deliver(dev: Dev, token: string, spec: BuildSpec): Promise<number> {
  const res = await fetch(`${dev.base}/webhooks/jenkins?token=${token}`, {
    method: "POST",
    headers: { "Content-Type": JSON_TYPE },
    body: toPluginJson(buildPayload(spec)),
  });
  const answer = (await res.json()) as { alert_id: number | null };
  if (res.status !== 200 || answer.alert_id === null) throw new Error(`delivery answered ${res.status}`);
  return answer.alert_id;
}
