/**
 * The dashboard's Silences page: linked from the header; its form creates a silence from wall times
 * in the zone it names (flagging matching incidents at once) or comes back filled in with the refusal;
 * "End now" ends one; ended ones are paged; posts from another site or without a session do nothing.
 */
import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "../../../src/index";
import { nowIso, nowMs } from "../../../src/platform/clock";
import { createSource, dashboardPage, dashboardSession } from "../../helpers";
import { logsOfEachTest } from "../../logs";

const logs = logsOfEachTest();
let session: string;
let source: { id: string };

beforeAll(async () => {
  session = await dashboardSession();
  source = await createSource("silences (dashboard)");
});

const html = async (path: string) => {
  const res = await dashboardPage(path, session);
  expect(res.status).toBe(200);
  return res.text();
};

/** A `datetime-local` value in UTC, `hours` from now. */
const wallUtc = (hours: number) => new Date(nowMs() + hours * 3_600_000).toISOString().slice(0, 16);

const form = (fields: Record<string, string> = {}) => ({
  source_id: source.id,
  job: "",
  branch: "",
  starts: wallUtc(-1),
  ends: wallUtc(2),
  time_zone: "UTC",
  from: "",
  to: "",
  comment: "from the dashboard",
  created_by: "",
  ...fields,
});

const countSilences = () => env.DB.prepare("SELECT count(*) AS n FROM silences").first<number>("n");
const newest = () =>
  env.DB.prepare(
    "SELECT id, starts_at, ends_at, recurrence, ended_at FROM silences ORDER BY id DESC LIMIT 1",
  ).first<{
    id: number;
    starts_at: string;
    ends_at: string;
    recurrence: string | null;
    ended_at: string | null;
  }>();

/** The page's section for one status (its table). */
const section = (page: string, status: string) =>
  new RegExp(`<table class="stack" id="silences-${status}">[\\s\\S]*?</table>`).exec(page)?.[0] ?? "";

describe("the dashboard's silences", () => {
  it("is linked from the header and offers the form, UTC first among the zones", async () => {
    expect(await html("/jobs")).toContain('<a href="/silences">Silences</a>');
    const page = await html("/silences");
    expect(page).toContain('<form method="post" action="/silences" class="filters" id="new-silence">');
    expect(page).toMatch(/<select name="time_zone"><option selected="">UTC<\/option><option>/);
    expect(page).toContain("<option>Europe/Berlin</option>");
    expect(page).toContain(`<option value="${source.id}">silences (dashboard)</option>`);
  });

  it("creates a silence from wall times in the chosen zone, with a weekly window", async () => {
    const fields = form({
      starts: "2030-03-01T00:00",
      ends: "2030-04-01T00:00",
      time_zone: "Europe/Berlin",
      from: "22:00",
      to: "06:00",
      comment: "<b>weekend</b> nights",
    });
    // A window's times without its days are refused.
    const res = await dashboardPage("/silences", session, fields);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Days: expected at least one day.");

    const body = new URLSearchParams(fields);
    body.append("days", "sat");
    body.append("days", "sun");
    const posted = await post("/silences", body);
    expect(posted.status).toBe(303);
    expect(posted.headers.get("Location")).toBe("/silences?done=created");
    expect(await newest()).toMatchObject({
      starts_at: "2030-02-28T23:00:00.000Z",
      ends_at: "2030-03-31T22:00:00.000Z",
      recurrence: JSON.stringify({
        days: ["sat", "sun"],
        from: "22:00",
        to: "06:00",
        time_zone: "Europe/Berlin",
      }),
    });
    const page = await html("/silences?done=created");
    expect(page).toContain("Silence created.");
    const upcoming = section(page, "upcoming");
    expect(upcoming).toContain('<time datetime="2030-02-28T23:00:00.000Z">2030-02-28 23:00 UTC</time>');
    expect(upcoming).toContain("weekly: sat, sun 22:00–06:00 Europe/Berlin");
    expect(upcoming).toContain("&lt;b&gt;weekend&lt;/b&gt; nights");
    expect(upcoming).toContain("End now");
  });

  it("comes back filled in, naming the field, when the form is refused, and stores nothing", async () => {
    const before = await countSilences();
    for (const [fields, error] of [
      [{ ends: wallUtc(-2) }, "Ends: must be after starts_at."],
      [{ starts: "soon" }, "Starts: expected a date and time."],
      [{ time_zone: "Mars/Olympus" }, "Time zone: expected an IANA time zone, such as Europe/Berlin."],
      [{ comment: " " }, "Comment: must not be empty."],
      [{ job: "x".repeat(600) }, "Job: at most 256 characters."],
      [{ source_id: crypto.randomUUID() }, "Source: no such source."],
    ] as const) {
      const res = await dashboardPage("/silences", session, form({ ...fields, branch: "keep/me" }));
      expect(res.status).toBe(400);
      const page = await res.text();
      expect(page).toContain(`<p class="error" role="alert" id="silence-error">${error}</p>`);
      expect(page).toContain('value="keep/me"');
    }
    expect(await countSilences()).toBe(before);
  });

  it("silences matching incidents at once and unsilences them on End now", async () => {
    const now = nowIso();
    const incident = await env.DB.prepare(
      `INSERT INTO incidents (kind, source_id, source_name, job, job_display_name, state, priority, opened_at, updated_at)
       VALUES ('failure', ?1, 'dash', 'dash/app', 'app', 'open', 'HIGH', ?2, ?2) RETURNING id`,
    )
      .bind(source.id, now)
      .first<number>("id");
    const silenced = () =>
      env.DB.prepare("SELECT silenced FROM incidents WHERE id = ?1").bind(incident).first<number>("silenced");

    const res = await dashboardPage("/silences", session, form({ job: "dash/**", created_by: "bob" }));
    expect(res.status).toBe(303);
    expect(await silenced()).toBe(1);
    const silence = await newest();
    const active = section(await html("/silences"), "active");
    expect(active).toContain(`id="silence-${silence?.id}"`);
    expect(active).toContain("silencing now, until ");
    expect(active).toContain("by bob");

    const ended = await dashboardPage(`/silences/${silence?.id}/end`, session, {});
    expect(ended.status).toBe(303);
    expect(ended.headers.get("Location")).toBe("/silences?done=ended");
    expect(await silenced()).toBe(0);
    const page = await html("/silences?done=ended");
    expect(page).toContain("Silence ended.");
    expect(section(page, "ended")).toContain(`id="silence-${silence?.id}"`);
    expect(section(page, "active")).not.toContain(`id="silence-${silence?.id}"`);
    expect(logs.named("silences_applied").map((line) => [line.silenced, line.unsilenced])).toEqual([
      [1, 0],
      [0, 1],
    ]);
  });

  it("pages the ended ones", async () => {
    const past = (hours: number) => new Date(nowMs() - hours * 3_600_000).toISOString();
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 25)
       INSERT INTO silences (source_id, starts_at, ends_at, comment, created_at)
       SELECT ?1, ?2, ?3, 'old silence ' || i, ?2 FROM n`,
    )
      .bind(source.id, past(48), past(24))
      .run();
    const first = section(await html("/silences"), "ended");
    expect(first).toContain("old silence 25");
    expect(first).not.toContain("old silence 5<");
    const page = await html("/silences");
    const older = /href="(\/silences\?ended=[^"#]+)#silences-ended"/.exec(page)?.[1];
    expect(older).toBeDefined();
    const second = section(await html(older ?? ""), "ended");
    expect(second).toContain("old silence 1<");
    expect(second).not.toContain("old silence 25");
  });

  it("refuses a post from another site, and one without a session", async () => {
    const before = await countSilences();
    const forged = await worker.fetch(
      new Request("https://itoc.example.com/silences", {
        method: "POST",
        headers: {
          Cookie: session,
          "Content-Type": "application/x-www-form-urlencoded",
          Origin: "https://evil.example",
        },
        body: new URLSearchParams(form()).toString(),
      }),
      env,
      createExecutionContext(),
    );
    expect(forged.status).toBe(403);
    const anonymous = await dashboardPage("/silences", "", form());
    expect(anonymous.status).toBe(401);
    expect(await countSilences()).toBe(before);
  });
});

/** A form post with repeated fields (dashboardPage takes a plain object). */
function post(path: string, body: URLSearchParams) {
  return worker.fetch(
    new Request(new URL(path, "https://itoc.example.com"), {
      method: "POST",
      redirect: "manual",
      headers: {
        Cookie: session,
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: "https://itoc.example.com",
      },
      body: body.toString(),
    }),
    env,
    createExecutionContext(),
  );
}
