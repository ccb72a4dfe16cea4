/**
 * The README and the guides in docs/, for real: their commands and examples run against one fresh
 * `wrangler dev` started as `npm run dev` starts it (cron triggers callable, loopback destinations
 * allowed), from a folder holding what `npm run dev` leaves behind (.dev.vars and
 * .wrangler/dev-source.json), with the test server's port for 8787. Each block is found by the heading
 * it sits under ({@link blocksUnder}), so a section that moves within its page is still run, and one that
 * is renamed or loses its example fails here. The steps build on each other, in the order a reader
 * follows them: the simulator tour makes the builds and the incident the later examples look at.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEV_SOURCE_FILE } from "../scripts/lib/dev-target.ts";
import { freePort } from "../scripts/lib/local-state.ts";
import { type Received, startReceiver } from "../scripts/lib/receiver.ts";
import { blocksUnder, blockUnder } from "./doc-blocks.ts";
import { type Dev, startDev } from "./harness.ts";

const SIMULATE = path.resolve("scripts", "simulate.ts");
const RECEIVER = path.resolve("scripts", "receiver.ts");
/** What `npm run dev` adds to `wrangler dev` (scripts/dev.mjs): /__scheduled, and loopback destinations. */
const AS_NPM_RUN_DEV = ["--test-scheduled", "--var", "ALLOW_PRIVATE_DESTINATIONS:true"];

let dev: Dev;
let cwd: string;
const children: { kill(): boolean }[] = [];

beforeAll(async () => {
  dev = await startDev(AS_NPM_RUN_DEV);
  cwd = mkdtempSync(path.join(tmpdir(), "itoc360-tour-"));
  // What `npm run dev` writes: the admin token in .dev.vars, the "Jenkins (dev)" source's token.
  const res = await fetch(`${dev.base}/api/sources`, {
    method: "POST",
    headers: { Authorization: `Bearer ${dev.adminToken}`, "Content-Type": "application/json" },
    body: JSON.stringify({ name: "Jenkins (dev)" }),
  });
  const { id, token } = (await res.json()) as { id: string; token: string };
  writeFileSync(path.join(cwd, ".dev.vars"), `ADMIN_TOKEN=${dev.adminToken}\n`);
  mkdirSync(path.join(cwd, ".wrangler"));
  writeFileSync(path.join(cwd, DEV_SOURCE_FILE), JSON.stringify({ id, token }));
});

afterAll(async () => {
  for (const child of children) child.kill();
  await dev?.stop();
  if (cwd) rmSync(cwd, { recursive: true, force: true });
});

/** A page's text as run here: the dev server's port for 8787. */
const local = (text: string) => text.replaceAll("localhost:8787", `localhost:${dev.port}`);

interface Step {
  command: string;
  args: string[];
  expected: string[];
}

/** The `$ npm run <script> …` commands of a console block, with the lines shown after each. */
function consoleSteps(block: string, script: string): Step[] {
  const steps: Step[] = [];
  for (const line of block.trimEnd().split("\n")) {
    if (line.startsWith("$ ")) {
      const command = line.slice(2);
      const words = command.split(/\s+/);
      expect(words.slice(0, 3), command).toEqual(["npm", "run", script]);
      steps.push({ command, args: words.slice(words[3] === "--" ? 4 : 3), expected: [] });
    } else {
      steps.at(-1)?.expected.push(line);
    }
  }
  return steps;
}

/** `npm run <script> -- args` as its words after `--`, without a trailing comment. */
function npmArgs(command: string): string[] {
  const words = command
    .replace(/\s+#.*$/, "")
    .trim()
    .split(/\s+/);
  return words.slice(words[3] === "--" ? 4 : 3);
}

/** Runs the simulator (the real script) from the tour's folder, against the dev server. */
function simulate(args: string[]): Promise<string> {
  return run(process.execPath, [SIMULATE, ...args, "--port", String(dev.port)]);
}

function run(command: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env } });
    let out = "";
    child.stdout.on("data", (chunk) => (out += chunk));
    child.stderr.on("data", (chunk) => (out += chunk));
    child.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(out))));
  });
}

/**
 * Runs a shell example as a reader would paste it, and answers what each `curl` in it printed, parsed:
 * curl fails on an HTTP error (so does the example), and each answer ends its own line.
 */
async function sh(script: string, env: Record<string, string> = {}): Promise<unknown[]> {
  const prelude = 'set -eo pipefail\ncurl() { command curl -sS --fail-with-body "$@"; echo; }\n';
  const out = await run("bash", ["-c", prelude + local(script)], env);
  return out
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line));
}

/** The `sh` block under `heading` in the README that contains `text`. */
function readmeBlock(heading: string, text: string): string {
  const block = blocksUnder("README.md", heading).find(
    (item) => item.lang === "sh" && item.code.includes(text),
  );
  if (!block) throw new Error(`README.md "${heading}": no sh block with ${text}`);
  return block.code;
}

/** The admin token as the guides' examples expect it in the shell. */
const withToken = () => ({ ADMIN_TOKEN: dev.adminToken });

/** `npm run receiver` (the real script) from the tour's folder; resolves once it listens. */
function receiver(args: string[]): Promise<{ lines: () => string[]; stop(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RECEIVER, ...args], { cwd });
    children.push(child);
    let out = "";
    const handle = {
      lines: () => out.split("\n"),
      // Resolves once it has exited, so its port is free for the next one.
      stop: () =>
        new Promise<void>((resolve) => {
          child.once("exit", () => resolve());
          child.kill();
        }),
    };
    child.stdout.on("data", (chunk) => {
      out += chunk;
      if (out.includes("Listening on")) resolve(handle);
    });
    child.stderr.on("data", (chunk) => (out += chunk));
    child.on("exit", () => reject(new Error(`npm run receiver stopped:\n${out}`)));
  });
}

async function until<T>(what: string, get: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = get();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe("the README", () => {
  it("shows on its first screen the commands this tour runs, and the Node range of package.json", () => {
    const firstScreen = readFileSync("README.md", "utf8").split("\n").slice(0, 40).join("\n");
    const commands = [...firstScreen.matchAll(/```sh\n([\s\S]*?)```/g)].flatMap(([, block = ""]) =>
      block
        .trimEnd()
        .split("\n")
        .map((line) => line.replace(/\s+#.*$/, "")),
    );
    expect(commands).toContain("npm run dev");
    expect(commands).toContain("npm test");
    const tour = consoleSteps(blockUnder("README.md", "Try it without Jenkins", "console"), "simulate");
    expect(commands.filter((line) => line.startsWith("npm run simulate"))).toEqual(
      tour.map((step) => step.command),
    );
    const { engines } = JSON.parse(readFileSync("package.json", "utf8")) as { engines: { node: string } };
    expect(firstScreen).toContain(`\`${engines.node}\``);
  });

  it("prints what the simulator tour shows, and the green build resolves the red one", async () => {
    const steps = consoleSteps(blockUnder("README.md", "Try it without Jenkins", "console"), "simulate");
    expect(steps.map((step) => step.command)).toEqual([
      "npm run simulate",
      "npm run simulate -- --status SUCCESS",
    ]);
    for (const step of steps) {
      const printed = await simulate(step.args);
      expect(printed.trimEnd().split("\n"), step.command).toEqual(step.expected.map(local));
    }

    const res = await fetch(`${dev.base}/api/alerts?job=acme/payments-api`, {
      headers: { Authorization: `Bearer ${dev.adminToken}` },
    });
    const { alerts } = (await res.json()) as { alerts: Record<string, unknown>[] };
    expect(alerts.find((alert) => alert.build_number === 1)).toMatchObject({
      status: "FAILURE",
      state: "resolved",
      resolved_by_build: 2,
    });
  });

  it("lists, with the Quick start's curl, incident #1 resolved by build #2", async () => {
    const [answer] = await sh(readmeBlock("Quick start", "/api/incidents"));
    const { incidents } = answer as { incidents: Record<string, unknown>[] };
    expect(incidents).toEqual([
      expect.objectContaining({
        id: 1,
        kind: "failure",
        job: "acme/payments-api",
        state: "resolved",
        resolved_by: "build",
        resolved_by_build: 2,
      }),
    ]);
  });

  it("sends another job, a branch, XML and another result, as its simulator example says", async () => {
    const [command = ""] = readmeBlock("Try it without Jenkins", "--format xml").trim().split("\n");
    const printed = (await simulate(npmArgs(command))).trimEnd().split("\n");
    expect(printed[0]).toMatch(/^acme\/web-shop\/feature%2Flogin #1 \(UNSTABLE, xml\) → /);
    expect(printed.slice(1, 5).map((line) => line.split(" → ")[1]?.slice(0, 3))).toEqual([
      "200",
      "200",
      "200",
      "200",
    ]);
    expect(printed[5]).toMatch(/is open \(MEDIUM\)/);
  });
});

describe("the guides' examples", () => {
  it("docs/api.md: the token from .dev.vars lists the dev source", async () => {
    const [answer] = await sh(blockUnder("docs/api.md", "The admin API", "sh"));
    expect((answer as { sources: { name: string }[] }).sources.map((source) => source.name)).toEqual([
      "Jenkins (dev)",
    ]);
  });

  it("docs/people.md Roles: a role given, listed, and taken away", async () => {
    const answers = await sh(blockUnder("docs/people.md", "Roles", "sh"), withToken());
    expect(answers).toEqual([
      expect.objectContaining({ subject: "ada@example.com", role: "responder", updated_by: "admin token" }),
      expect.objectContaining({ people: [expect.objectContaining({ subject: "ada@example.com" })] }),
    ]);
  });

  it("docs/people.md Personal API tokens: a token made once, that works as its role", async () => {
    const [created] = (await sh(blockUnder("docs/people.md", "Personal API tokens", "sh"), withToken())) as {
      token: string;
      role: string;
    }[];
    expect(created).toMatchObject({
      name: "nightly report",
      role: "viewer",
      token: expect.stringMatching(/^itoc_pat_/),
    });
    const auth = { Authorization: `Bearer ${created?.token}` };
    expect((await fetch(`${dev.base}/api/alerts`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${dev.base}/api/sources`, { method: "POST", headers: auth })).status).toBe(403);
  });

  it("docs/incidents.md Silences: a window from now for four hours, then ended", async () => {
    const answers = await sh(blockUnder("docs/incidents.md", "Silences", "sh"), withToken());
    expect(answers).toEqual([
      expect.objectContaining({
        id: 1,
        status: "active",
        match: expect.objectContaining({ job: "acme/web-shop/**" }),
      }),
      expect.objectContaining({ id: 1, status: "ended", ended_at: expect.any(String) }),
    ]);
    // Two `date` calls: the second may fall a second after the first.
    const { starts_at, ends_at } = answers[0] as { starts_at: string; ends_at: string };
    const hours = (Date.parse(ends_at) - Date.parse(starts_at)) / 3_600_000;
    expect(hours).toBeGreaterThanOrEqual(4);
    expect(hours).toBeLessThan(4.001);
  });

  it("docs/incidents.md Heartbeats: set by hand, turned off, then back to learning", async () => {
    const res = await fetch(`${dev.base}/api/jobs`, {
      headers: { Authorization: `Bearer ${dev.adminToken}` },
    });
    const { jobs } = (await res.json()) as { jobs: { id: number; job: string }[] };
    const job = jobs.find((item) => item.job === "acme/payments-api");
    // The guide's job 42 stands for "the job's numeric id from GET /api/jobs": here, the tour's job.
    const block = blockUnder("docs/incidents.md", "Heartbeats", "sh");
    expect(block).toContain("/api/jobs/42/heartbeat");
    const answers = (await sh(block.replaceAll("/api/jobs/42/", `/api/jobs/${job?.id}/`), withToken())) as {
      heartbeat: Record<string, unknown>;
    }[];
    expect(answers.map((answer) => answer.heartbeat)).toEqual([
      expect.objectContaining({ mode: "manual", every: 86_400_000, grace: 7_200_000 }),
      expect.objectContaining({ mode: "off", due_at: null }),
      expect.objectContaining({ mode: "learning", due_at: null }),
    ]);
  });

  it("docs/incidents.md Noise policy: the example policy is taken as written", async () => {
    const policy = JSON.parse(blockUnder("docs/incidents.md", "Noise policy", "json")) as unknown;
    const auth = { Authorization: `Bearer ${dev.adminToken}`, "Content-Type": "application/json" };
    const { sources } = (await (await fetch(`${dev.base}/api/sources`, { headers: auth })).json()) as {
      sources: { id: string }[];
    };
    const patch = (body: unknown) =>
      fetch(`${dev.base}/api/sources/${sources[0]?.id}`, {
        method: "PATCH",
        headers: auth,
        body: JSON.stringify(body),
      });
    const res = await patch({ policy });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { policy: unknown }).policy).toEqual(policy);
    // Back to the defaults, which the notifications tour's builds (no branch) need to page.
    expect((await patch({ policy: {} })).status).toBe(200);
  });

  it("docs/operations.md Cron triggers: both run at once", async () => {
    // Each answer is wrangler's text, not JSON: the shell's success is the proof (curl fails on an error).
    const block = blockUnder("docs/operations.md", "Cron triggers", "sh");
    const script = `set -eo pipefail\n${local(block).replaceAll("curl ", "curl -sSf ")}`;
    await expect(run("bash", ["-c", script])).resolves.toBeTypeOf("string");
  });

  it("docs/notifications.md Trying it on one machine: the receiver verifies every message", async () => {
    const page = "docs/notifications.md";
    const heading = "Trying it on one machine";
    const port = await freePort();
    const onPort = (text: string) => text.replaceAll("9999", String(port));

    const [listen, ...others] = consoleSteps(blockUnder(page, heading, "console"), "receiver");
    expect(others).toEqual([]);
    const plain = await receiver(onPort(listen?.args.join(" ") ?? "").split(" "));
    expect(plain.lines()[0]).toBe(onPort(listen?.expected[0] ?? "(no line)"));
    await plain.stop();

    let secret = "";
    let shell: string[] = [];
    let signed: { lines: () => string[] } | undefined;
    const flush = async () => {
      if (shell.length === 0) return;
      // The reader's shell keeps the ADMIN_TOKEN the block set, across the receiver's restart.
      for (const answer of await sh(onPort(shell.join("\n")), withToken())) {
        const created = answer as { secret?: string };
        if (created.secret) secret = created.secret;
      }
      shell = [];
    };
    const commands = blockUnder(page, heading, "sh").replaceAll("\\\n", " ").split("\n");
    for (const command of commands.filter((line) => line.trim() !== "" && !line.startsWith("#"))) {
      if (command.startsWith("npm run receiver")) {
        await flush();
        expect(secret).toMatch(/^whsec_/);
        signed = await receiver(npmArgs(onPort(command)).map((arg) => (arg === "whsec_…" ? secret : arg)));
      } else if (command.startsWith("npm run simulate")) {
        await flush();
        await simulate(npmArgs(command));
      } else {
        shell.push(command);
      }
    }
    await flush();

    // The earlier examples' incidents (another job, another order) may reach the new destination too:
    // each message is looked for by its own type and job.
    const heard = (type: string, about = "") =>
      until(type, () =>
        signed
          ?.lines()
          .find(
            (line) =>
              line.includes(`→ 200 webhook ${type}`) && line.includes(about) && line.endsWith("signature ✓"),
          ),
      );
    expect(await heard("destination.test")).toMatch(
      /POST \/hook → 200 webhook destination\.test #0 .+, id test_[0-9a-f]+, signature ✓$/,
    );
    expect(await heard("incident.opened", " acme/payments-api,")).toMatch(
      /incident\.opened #\d+ acme\/payments-api, id msg_[0-9a-f]+/,
    );
    expect(await heard("incident.resolved", " acme/payments-api")).toMatch(
      /incident\.resolved #\d+ acme\/payments-api/,
    );
  });

  it("docs/notifications.md Signed webhooks: the verification without a library accepts only the real one", async () => {
    const plain = blocksUnder("docs/notifications.md", "Signed webhooks").find(
      (block) => block.lang === "js" && block.code.includes("function verify("),
    )?.code;
    expect(plain).toBeDefined();
    const verifyFile = path.join(cwd, "verify.mjs");
    writeFileSync(verifyFile, `${plain}\nexport { verify };\n`);
    const { verify } = (await import(pathToFileURL(verifyFile).href)) as {
      verify: (secret: string, headers: Record<string, string>, rawBody: string) => boolean;
    };

    const got: Received[] = [];
    const hook = await startReceiver({}, (received) => got.push(received));
    try {
      const auth = { Authorization: `Bearer ${dev.adminToken}`, "Content-Type": "application/json" };
      const res = await fetch(`${dev.base}/api/destinations`, {
        method: "POST",
        headers: auth,
        body: JSON.stringify({ name: "verify", kind: "webhook", url: `${hook.url}/verify` }),
      });
      const { id, secret } = (await res.json()) as { id: number; secret: string };
      await fetch(`${dev.base}/api/destinations/${id}/test`, { method: "POST", headers: auth });
      const message = await until("the test message", () => got[0]);
      expect(verify(secret, message.headers, message.body)).toBe(true);
      expect(
        verify(secret, message.headers, message.body.replace("destination.test", "incident.opened")),
      ).toBe(false);
      expect(verify(`whsec_${Buffer.alloc(24).toString("base64")}`, message.headers, message.body)).toBe(
        false,
      );
    } finally {
      await hook.close();
    }
  });
});
