/**
 * The workers tests' globalSetup (vitest.config.ts): real notification receivers on loopback, started on
 * the Node side (workerd cannot listen), their base URLs handed to the tests with `provide` (read them
 * with `inject("receivers")`). Each test points its destinations at a path of its own: the receivers
 * count --fail per path and answer `GET /__received?path=…` with what arrived there. Beside them, a
 * stand-in for Cloudflare Access's certs endpoint (`inject("accessKeys")`, fixtures/access-keys.ts) and one
 * for Slack's Web API (`inject("slackApi")`, fixtures/slack-api.ts; the Worker's SLACK_API_BASE).
 */
import type { TestProject } from "vitest/node";
import "../../fixtures/access-keys.ts";
import "../../fixtures/slack-api.ts";
import type { Receivers } from "../../fixtures/receivers.ts";
import { startAccessKeysServer } from "./access-keys-server.ts";
import { startReceiver } from "./receiver.ts";
import { startSlackApiServer } from "./slack-api-server.ts";

export default async function setup(project: TestProject) {
  const started = {
    ok: await startReceiver(),
    gone: await startReceiver({ status: 410 }),
    flaky: await startReceiver({ fail: 2, retryAfter: 1 }),
    rotating: await startReceiver({ fail: 2, failWith: 401 }),
    hung: await startReceiver({ hang: true }),
    slow: await startReceiver({ delayMs: 10_000 }),
  };
  const receivers: Receivers = {
    ok: started.ok.url,
    gone: started.gone.url,
    flaky: started.flaky.url,
    rotating: started.rotating.url,
    hung: started.hung.url,
    slow: started.slow.url,
  };
  project.provide("receivers", receivers);
  const accessKeys = await startAccessKeysServer();
  project.provide("accessKeys", accessKeys.url);
  const slackApi = await startSlackApiServer();
  project.provide("slackApi", slackApi.url);
  return async () => {
    await Promise.all([...Object.values(started), accessKeys, slackApi].map((server) => server.close()));
  };
}
