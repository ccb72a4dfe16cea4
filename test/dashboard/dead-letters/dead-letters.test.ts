/**
 * The dashboard's dead letters: the header counts them when there are any, the page lists them with
 * why they died, and its Replay and Discard forms work (signed in, CSRF-checked like every form).
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "../../../src/index";
import { nowIso } from "../../../src/platform/clock";
import { buildPayload, createSource, dashboardPage, dashboardSession, eventually } from "../../helpers";

let session: string;
let source: { id: string; token: string };

beforeAll(async () => {
  session = await dashboardSession();
  source = await createSource("dead letters (dashboard)");
});

/** A delivery for `job` #1, kept as a dead letter the way the events consumer sends one. */
async function deadLetter(job: string, reason = "not stored after 10 attempts: D1 was down") {
  const body = {
    v: 1,
    source_id: source.id,
    received_at: nowIso(),
    body: JSON.stringify(buildPayload({ job, number: 1, phase: "FINALIZED", status: "FAILURE" })),
    format: "json",
    truncated: false,
  };
  const ctx = createExecutionContext();
  const batch = createMessageBatch("itoc360-jenkins-events-dlq", [
    {
      id: crypto.randomUUID(),
      timestamp: new Date(),
      attempts: 1,
      body: { dead_letter: 1, reason, attempts: 10, body },
    },
  ]);
  await worker.queue(batch as MessageBatch<never>, env);
  await getQueueResult(batch, ctx);
  return env.DB.prepare("SELECT max(id) AS id FROM dead_letters").first<number>("id");
}

const html = async (path: string) => {
  const res = await dashboardPage(path, session);
  expect(res.status).toBe(200);
  return res.text();
};

/** The header's link to the page, with its count if it has one. */
const headerLink = async (path: string) =>
  /<a href="\/dead-letters" id="nav-dead-letters">[\s\S]*?<\/a>/.exec(await html(path))?.[0];

describe("the dashboard's dead letters", () => {
  it("links to them from the header, with their count only when there are any", async () => {
    expect(await headerLink("/jobs")).toBe('<a href="/dead-letters" id="nav-dead-letters">Dead letters</a>');
    await deadLetter("dash-dl/one");
    await deadLetter("dash-dl/two");
    for (const path of ["/", "/jobs", "/sources", "/dead-letters"]) {
      expect(await headerLink(path)).toMatch(/Dead letters <span class="badge s-open"[^>]*>2<\/span><\/a>$/);
    }
  });

  it("lists each with the build it was about and why it died, newest first", async () => {
    const page = await html("/dead-letters");
    expect(page.indexOf("dash-dl/two #1 FAILURE")).toBeLessThan(page.indexOf("dash-dl/one #1 FAILURE"));
    expect(page).toContain("not stored after 10 attempts: D1 was down");
    expect(page).toContain("after 10 attempts");
  });

  it("replays one from its form: the alert appears and the dead letter is gone", async () => {
    const id = await deadLetter("dash-dl/replayed");
    const res = await dashboardPage(`/dead-letters/${id}/replay`, session, {});
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/dead-letters?done=replayed");
    expect(await html("/dead-letters?done=replayed")).toContain("Put back on its queue");
    const alerts = await eventually(
      () =>
        env.DB.prepare("SELECT count(*) AS n FROM alerts WHERE job = 'dash-dl/replayed'").first<number>("n"),
      (n) => n === 1,
    );
    expect(alerts).toBe(1);
    expect(await html("/dead-letters")).not.toContain("dash-dl/replayed");
  });

  it("discards one after a confirmation page", async () => {
    const id = await deadLetter("dash-dl/discarded");
    expect(await html(`/dead-letters/${id}/discard`)).toContain("Discard “dash-dl/discarded #1 FAILURE”?");
    const res = await dashboardPage(`/dead-letters/${id}/discard`, session, {});
    expect(res.headers.get("Location")).toBe("/dead-letters?done=discarded");
    expect(await html("/dead-letters")).not.toContain("dash-dl/discarded");
  });

  it("refuses a replay posted from another site, and one without a session", async () => {
    const id = await deadLetter("dash-dl/csrf");
    const forged = await worker.fetch(
      new Request(`https://itoc.example.com/dead-letters/${id}/replay`, {
        method: "POST",
        headers: {
          Cookie: session,
          "Content-Type": "application/x-www-form-urlencoded",
          Origin: "https://evil.example",
        },
        body: "",
      }),
      env,
      createExecutionContext(),
    );
    expect(forged.status).toBe(403);
    const anonymous = await dashboardPage(`/dead-letters/${id}/replay`, "", {});
    expect(anonymous.status).toBe(401);
    expect(await html("/dead-letters")).toContain("dash-dl/csrf");
  });
});
