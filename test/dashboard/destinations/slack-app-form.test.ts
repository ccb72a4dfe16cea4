/**
 * A Slack app destination made on the destinations page, through the real Worker: the Slack form's choice
 * between an incoming webhook and a Slack app, the bot token sealed and used (a local receiver stands in
 * for Slack's Web API) but never shown, the channel shown instead of a URL, and the refusals in the API's
 * own words, tied to their field, with the token never echoed back.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { receivedAt } from "../../../fixtures/receivers.ts";
import { api } from "../../helpers";
import { signIn } from "../dashboard-client";
import { createFromPage, destinationNamed, type Fields, html, seen, visit } from "./destination-client";

const receivers = inject("receivers");

let session: string;
beforeAll(async () => {
  session = await signIn();
});

/** Every bot token typed into a form here, and a webhook URL's secret part typed then switched away from. */
const TOKEN = "xoxb-1111-2222-formSecretToken";
const OTHER_TOKEN = "xoxb-3333-4444-refusedToken";
const DROPPED_URL_PART = "/services/T0FORM/B0FORM/switchedAway";

/** The list's row of destination `id`. */
async function rowOf(id: number): Promise<string> {
  const { html: list } = await html(visit("/destinations", session));
  const start = list.indexOf(`id="destination-${id}"`);
  expect(start).toBeGreaterThan(-1);
  return list.slice(start, list.indexOf("</tr>", start));
}

describe("the Slack form", () => {
  it("offers an incoming webhook or a Slack app, the bot token as a password that is never filled in", async () => {
    const { html: page } = await html(visit("/destinations", session));
    const form = page.slice(
      page.indexOf('id="new-slack"'),
      page.indexOf("</details>", page.indexOf('id="new-slack"')),
    );
    expect(form).toContain("<legend>Posts with</legend>");
    expect(form).toMatch(
      /<input type="radio" name="slack_via" value="webhook" checked=""\/> an incoming webhook URL/,
    );
    expect(form).toMatch(
      /<input type="radio" name="slack_via" value="app"\/> Slack app: bot token and channel ID/,
    );
    expect(form).toContain('<label for="slack-bot-token">');
    expect(form).toMatch(
      /<input id="slack-bot-token" type="password" name="bot_token" autocomplete="off"\/>/,
    );
    expect(form).toContain('<label for="slack-channel">');
    // Either address may be the one sent, so neither is required by the browser.
    expect(form).not.toMatch(/name="url" required/);
    // The other kinds have no choice and need their URL.
    const teams = page.slice(page.indexOf('id="new-teams"'));
    expect(teams.slice(0, teams.indexOf("</details>"))).not.toContain("bot_token");
    expect(teams).toMatch(/name="url" required/);
  });
});

describe("creating a Slack app destination from the page", () => {
  it("stores the token sealed and the channel, says so, and lists it by its channel", async () => {
    const created = await createFromPage(session, {
      kind: "slack",
      slack_via: "app",
      name: "Slack app #ops",
      bot_token: TOKEN,
      channel: "C0FORM123",
      // Typed before choosing the app: the choice drops it.
      url: `https://hooks.slack.com${DROPPED_URL_PART}`,
      job: "acme/**",
    });
    expect(created.status, created.html).toBe(201);
    expect(created.html).toContain("“Slack app #ops” is ready");
    expect(created.html).toContain(
      "Slack app destination to channel C0FORM123. Its bot token is stored encrypted and never shown again.",
    );
    expect(created.html).not.toContain("signing-secret");

    const found = await destinationNamed("Slack app #ops");
    expect(found).toMatchObject({
      kind: "slack",
      channel: "C0FORM123",
      url_display: "https://slack.com",
      match: { job: "acme/**" },
    });
    const id = found?.id ?? 0;
    const stored = await env.DB.prepare("SELECT * FROM destinations WHERE id = ?1").bind(id).first();
    expect(JSON.stringify(stored)).not.toContain(TOKEN);

    const row = await rowOf(id);
    expect(row).toContain("Slack app · channel C0FORM123");
    expect(row).not.toContain("https://slack.com");
    const confirm = await html(visit(`/destinations/${id}/delete`, session));
    expect(confirm.html).toContain("Nothing more is sent to channel C0FORM123");
  });

  it("sends its test message with the token it was given, to its channel", async () => {
    const id = (await destinationNamed("Slack app #ops"))?.id;
    const base = `${receivers.ok}/form-app-api`;
    const answer = await html(visit(`/destinations/${id}/test`, session, {}, { SLACK_API_BASE: base }));
    expect(answer.status).toBe(200);
    const [posted, ...more] = await receivedAt(receivers.ok, "/form-app-api/chat.postMessage");
    expect(more).toEqual([]);
    expect(posted?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(JSON.parse(posted?.body ?? "{}")).toMatchObject({ channel: "C0FORM123" });
  });

  it("still creates an incoming-webhook Slack destination when that is the choice, dropping a typed token", async () => {
    const created = await createFromPage(session, {
      kind: "slack",
      slack_via: "webhook",
      name: "Slack hook, chosen",
      url: "https://hooks.slack.com/services/T0FORM/B0FORM/chosenHook",
      bot_token: TOKEN,
      channel: "C0NOTUSED",
    });
    expect(created.status, created.html).toBe(201);
    expect(created.html).toContain("Slack destination to https://hooks.slack.com.");
    expect(await destinationNamed("Slack hook, chosen")).toMatchObject({
      channel: null,
      url_display: "https://hooks.slack.com",
    });
  });
});

/** HTML text back to what was written. */
const fromHtml = (text: string) =>
  text
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");

const LABELS: Record<string, string> = { url: "URL", bot_token: "Bot token", channel: "Channel ID" };

describe("a refused Slack app form", () => {
  /**
   * Posts `fields` on the page and the same body to the API: nothing is stored, and the page's error is
   * the API's first problem as a sentence naming the field, on the form of `kind`, tied to that field.
   * The token is never in the answer.
   */
  async function refusedLikeTheApi(form: Fields, body: Record<string, unknown>) {
    const count = () => env.DB.prepare("SELECT count(*) AS n FROM destinations").first<{ n: number }>();
    const before = await count();
    const answer = await createFromPage(session, form);
    const res = await api("/api/destinations", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
    expect((await count())?.n).toBe(before?.n);
    expect(answer.status).toBe(400);
    expect(res.status).toBe(400);
    const [problem] = (await res.json<{ errors: { path: string; message: string }[] }>()).errors;
    const kind = String(form.kind);
    const error = new RegExp(`<p class="error" role="alert" id="${kind}-error">([^<]*)</p>`).exec(
      answer.html,
    );
    expect(fromHtml(error?.[1] ?? "")).toContain(`${LABELS[problem?.path ?? ""]}: ${problem?.message}.`);
    expect(answer.html).toContain(`<details class="card" open="" id="new-${kind}">`);
    // Tied to its field, where the form has one (a Teams form has no bot token field).
    if (kind === "slack") {
      const field = { url: "url", bot_token: "bot-token", channel: "channel" }[problem?.path ?? ""];
      expect(answer.html).toMatch(
        new RegExp(`id="slack-${field}"[^>]*aria-invalid="true" aria-describedby="slack-error"`),
      );
    }
    expect(answer.html).not.toContain(OTHER_TOKEN);
    return { html: answer.html, problem };
  }

  it("asks for the channel when only a token is given, keeps the choice, and never shows the token", async () => {
    const { html: page, problem } = await refusedLikeTheApi(
      { kind: "slack", slack_via: "app", name: "No channel", bot_token: OTHER_TOKEN },
      { kind: "slack", name: "No channel", bot_token: OTHER_TOKEN },
    );
    expect(problem).toEqual({ path: "channel", message: "is required with bot_token" });
    expect(page).toContain("The bot token is never shown again: type it again.");
    expect(page).toMatch(/<input type="radio" name="slack_via" value="app" checked=""\/>/);
    expect(page).toContain('value="No channel"');
  });

  it("refuses a channel's name instead of its ID, keeping what was typed but the token", async () => {
    const { html: page, problem } = await refusedLikeTheApi(
      { kind: "slack", slack_via: "app", name: "By name", bot_token: OTHER_TOKEN, channel: "#ops" },
      { kind: "slack", name: "By name", bot_token: OTHER_TOKEN, channel: "#ops" },
    );
    expect(problem?.path).toBe("channel");
    expect(problem?.message).toContain("not its name");
    expect(page).toContain('value="#ops"');
  });

  it("refuses a bot token on a Teams destination", async () => {
    const url = "https://prod.logic.azure.com/workflows/1?sig=formSig";
    const { html: page, problem } = await refusedLikeTheApi(
      { kind: "teams", name: "Teams with a token", url, bot_token: OTHER_TOKEN },
      { kind: "teams", name: "Teams with a token", url, bot_token: OTHER_TOKEN },
    );
    expect(problem).toEqual({
      path: "bot_token",
      message: 'is only for a Slack app destination (kind "slack")',
    });
    expect(page).not.toContain("sig=formSig");
  });

  it("refuses a token that is not a bot token", async () => {
    const userToken = "xoxp-5555-userToken";
    const { html: page, problem } = await refusedLikeTheApi(
      { kind: "slack", slack_via: "app", name: "User token", bot_token: userToken, channel: "C0FORM123" },
      { kind: "slack", name: "User token", bot_token: userToken, channel: "C0FORM123" },
    );
    expect(problem).toEqual({ path: "bot_token", message: "expected a Slack bot token (xoxb-…)" });
    expect(page).not.toContain(userToken);
  });
});

describe("every page above", () => {
  it("never showed a bot token, nor the URL typed before choosing the app", () => {
    expect(seen.length).toBeGreaterThan(8);
    for (const text of seen) {
      for (const secret of [TOKEN, OTHER_TOKEN, DROPPED_URL_PART]) expect(text).not.toContain(secret);
    }
  });
});
