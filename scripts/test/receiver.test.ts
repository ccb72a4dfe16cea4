/**
 * `npm run receiver`: a local receiver that prints what arrives, verifies Standard Webhooks signatures
 * with --secret, and answers as told (--fail N, --status). Run as the npm script runs it, on a free port.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { Webhook } from "standardwebhooks";
import { afterEach, describe, expect, it } from "vitest";

interface Running {
  url: string;
  output: () => string;
  /** Resolves once the output holds `text`. */
  waitFor: (text: string) => Promise<void>;
}

const children: ChildProcessWithoutNullStreams[] = [];

afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGTERM");
});

/** Starts `node scripts/receiver.ts --port 0 …args` and waits for its "Listening on" line. */
function receiver(args: string[]): Promise<Running> {
  const child = spawn(process.execPath, [path.resolve("scripts", "receiver.ts"), "--port", "0", ...args]);
  children.push(child);
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const waitFor = async (text: string) => {
    const deadline = Date.now() + 10_000;
    while (!output.includes(text)) {
      if (Date.now() > deadline) throw new Error(`no "${text}" in:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return waitFor("Listening on").then(() => ({
    url: /Listening on (http:\/\/127\.0\.0\.1:\d+)\//.exec(output)?.[1] ?? "",
    output: () => output,
    waitFor,
  }));
}

const post = (url: string, body: string, headers: Record<string, string> = {}) =>
  fetch(url, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body });

const secret = `whsec_${randomBytes(32).toString("base64")}`;

/** The Standard Webhooks headers for `body`, as the Worker sends them. */
function signed(body: string, id = "itoc_incident1_opened_destination1") {
  const now = new Date();
  return {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(id, now, body),
  };
}

describe("npm run receiver", () => {
  it("prints a signed webhook with its verdict, and answers 401 to a bad signature", async () => {
    const running = await receiver(["--secret", secret]);
    const body = JSON.stringify({ type: "incident.opened", incident: { id: 7, job_path: "acme/api" } });
    expect((await post(`${running.url}/hook`, body, signed(body))).status).toBe(200);
    await running.waitFor("signature ✓");
    expect(running.output()).toMatch(
      /\d\d:\d\d:\d\d POST \/hook → 200 webhook incident\.opened #7 acme\/api, id itoc_incident1_opened_destination1, signature ✓/,
    );
    expect(running.output()).toContain('"job_path": "acme/api"'); // the body, pretty-printed

    const tampered = { ...signed(body), "webhook-signature": "v1,AAAA" };
    expect((await post(`${running.url}/hook`, body, tampered)).status).toBe(401);
    await running.waitFor("signature ✗ (No matching signature found)");
  });

  it("answers 503 --fail times per path, with Retry-After, then 200", async () => {
    const running = await receiver(["--fail", "2", "--retry-after", "3", "--quiet"]);
    const slack = JSON.stringify({ text: "Incident opened: acme/api", blocks: [] });
    const first = await post(`${running.url}/a`, slack);
    expect([first.status, first.headers.get("Retry-After")]).toEqual([503, "3"]);
    expect((await post(`${running.url}/a`, slack)).status).toBe(503);
    expect((await post(`${running.url}/b`, slack)).status).toBe(503);
    expect((await post(`${running.url}/a`, slack)).status).toBe(200);
    await running.waitFor("POST /a → 200 slack");
    expect(running.output()).toContain('POST /a → 503 slack "Incident opened: acme/api"');
    expect(running.output()).not.toContain('"blocks"'); // --quiet: no bodies
  });

  it("answers --status to everything (410 disables a destination), and tells Teams apart", async () => {
    const running = await receiver(["--status", "410"]);
    const teams = JSON.stringify({
      type: "message",
      attachments: [
        { content: { body: [{ type: "RichTextBlock", inlines: [{ text: "Incident resolved: x" }] }] } },
      ],
    });
    expect((await post(`${running.url}/teams`, teams)).status).toBe(410);
    await running.waitFor('POST /teams → 410 teams "Incident resolved: x"');
  });

  it("refuses a --secret that is not a whsec_ secret", async () => {
    const child = spawn(process.execPath, [path.resolve("scripts", "receiver.ts"), "--secret", "hunter2"]);
    let stderr = "";
    child.stderr.on("data", (chunk) => (stderr += chunk));
    const status = await new Promise((resolve) => child.on("close", resolve));
    expect(status).toBe(2);
    expect(stderr).toContain("receiver: --secret must be a whsec_… signing secret");
  });
});
