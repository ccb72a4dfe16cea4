/**
 * The messages (src/notify/): what the payload controls can format, mention or link nothing. Slack: only
 * plain_text objects carry it, the top-level text escapes it, Block Kit's limits hold. Teams: only
 * TextRuns (which render no Markdown) carry it, links are our own buttons. Webhooks: the body as
 * documented, signed per Standard Webhooks and verified both by the specification's package and by an
 * independent HMAC. Teams links percent-encoded per RFC 3986; direction controls shown as escapes in
 * every chat text, kept as they are in the webhook's JSON.
 */
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import type { ApiAlert, ApiIncident, NotificationContent } from "../../src/notify/content";
import { cut } from "../../src/notify/content";
import { buildMessage } from "../../src/notify/message";
import { escapeSlack, slackMessage } from "../../src/notify/slack/message";
import { teamsMessage } from "../../src/notify/teams/message";
import { testContent } from "../../src/notify/test-content";
import { newSigningSecret } from "../../src/notify/webhook/message";
import { showDirectionControls } from "../../src/platform/direction-controls";
import { specSignature } from "./webhook/webhook-spec";

const HOSTILE =
  "<!channel> *x* _y_ ~z~ `c` [click](https://evil.example) <https://evil.example|here> & @here";
const DASHBOARD = "https://itoc.example.com/incidents/42";

/** A real-looking incident whose every payload-controlled string is hostile. */
function content(
  overrides: {
    incident?: Partial<ApiIncident>;
    alert?: Partial<ApiAlert> | null;
    event?: NotificationContent["event"];
  } = {},
): NotificationContent {
  const base = testContent("https://itoc.example.com", new Date("2026-11-29T12:00:00Z"));
  const incident: ApiIncident = {
    ...base.incident,
    id: 42,
    job: HOSTILE,
    job_path: HOSTILE,
    branch: HOSTILE,
    source_name: HOSTILE,
    ...overrides.incident,
  };
  const alert =
    overrides.alert === null
      ? null
      : ({
          ...base.alert,
          build_number: 7,
          build_url: "https://ci.example.com/job/a/7/",
          branch: HOSTILE,
          commit: HOSTILE,
          culprits: [HOSTILE, "alice"],
          test_summary: { total: 10, failed: 2, passed: 8, skipped: 0, failed_tests: [HOSTILE, "T2"] },
          ...overrides.alert,
        } as ApiAlert);
  return {
    event: overrides.event ?? "opened",
    incident,
    alert,
    incidentUrl: DASHBOARD,
    at: base.at,
    deploysBefore: [],
  };
}

/** Every object in `node` (depth first) that has a string `type`. */
function typed(node: unknown): Record<string, unknown>[] {
  if (Array.isArray(node)) return node.flatMap(typed);
  if (!node || typeof node !== "object") return [];
  const own = typeof (node as { type?: unknown }).type === "string" ? [node as Record<string, unknown>] : [];
  return [...own, ...Object.values(node).flatMap(typed)];
}

describe("Slack", () => {
  const message = slackMessage(content());
  const objects = typed(message.blocks);
  const texts = (type: string) =>
    objects.filter((object) => object.type === type).map((object) => String(object.text));

  it("puts every payload-controlled string in plain_text only", () => {
    const plain = texts("plain_text");
    expect(plain.some((text) => text.includes(HOSTILE))).toBe(true);
    for (const mrkdwn of texts("mrkdwn")) {
      expect(mrkdwn).not.toContain("<!channel>");
      expect(mrkdwn).not.toContain("*x*");
      expect(mrkdwn).not.toContain("evil.example");
      // Ours only: a bold label, or the links line.
      expect(mrkdwn).toMatch(
        /^(\*[A-Z][a-z ]+\*|<https:\/\/itoc\.example\.com\/incidents\/42\|Open incident #42>.*)$/,
      );
    }
  });

  it("escapes the top-level text and sends it without mrkdwn", () => {
    expect(message.mrkdwn).toBe(false);
    expect(message.text).not.toMatch(/<|>/);
    expect(message.text).toContain("&lt;!channel&gt; *x*");
    expect(message.text).toContain("&amp; @here");
    expect(escapeSlack("a<b>&c")).toBe("a&lt;b&gt;&amp;c");
  });

  it("links the build only to an http(s) URL, escaped inside the link", () => {
    const links = () => texts("mrkdwn").find((text) => text.startsWith("<https://itoc")) ?? "";
    expect(links()).toContain("<https://ci.example.com/job/a/7/|Build #7>");
    const odd = slackMessage(content({ alert: { build_url: "https://ci.example.com/a|b>c&d<e" } }));
    const oddLinks = typed(odd.blocks)
      .map((object) => String(object.text))
      .find((text) => text.startsWith("<https://itoc"));
    expect(oddLinks).toContain("<https://ci.example.com/a%7Cb%3Ec&amp;d%3Ce|Build #7>");
    for (const build_url of ["javascript:alert(1)", "/job/a/7/", "ftp://ci.example.com/7", null]) {
      const shown = JSON.stringify(slackMessage(content({ alert: { build_url } })).blocks);
      expect(shown).not.toContain("|Build #7>");
    }
    expect(
      JSON.stringify(slackMessage(content({ alert: { build_url: "javascript:alert(1)" } }))),
    ).not.toContain("javascript:");
  });

  it("keeps Block Kit's limits, cutting with …", () => {
    const huge = "x".repeat(5000);
    const big = slackMessage(
      content({
        incident: { job_path: huge, source_name: huge },
        alert: {
          culprits: Array(20).fill("y".repeat(128)),
          test_summary: {
            total: 20,
            failed: 20,
            passed: 0,
            skipped: 0,
            failed_tests: Array(20).fill("t".repeat(256)),
          },
        },
      }),
    );
    expect(big.blocks.length).toBeLessThanOrEqual(50);
    const header = big.blocks[0] as { type: string; text: { text: string } };
    expect(header.type).toBe("header");
    expect(header.text.text).toHaveLength(150);
    expect(header.text.text.endsWith("…")).toBe(true);
    for (const block of big.blocks as { fields?: { text: string }[]; text?: { text: string } }[]) {
      expect(block.fields?.length ?? 0).toBeLessThanOrEqual(10);
      for (const field of block.fields ?? []) expect(field.text.length).toBeLessThanOrEqual(2000);
      expect(block.text?.text.length ?? 0).toBeLessThanOrEqual(3000);
    }
    expect(JSON.stringify(big)).toContain("x…");
  });

  it("cuts without splitting a character", () => {
    expect(cut("abc", 3)).toBe("abc");
    expect(cut("abcdef", 4)).toBe("abc…");
    expect(cut("ab𝄞cd", 4)).toBe("ab…"); // 𝄞 is two UTF-16 units: never half of it
  });
});

describe("Teams", () => {
  const card = teamsMessage(content()).attachments[0];
  const objects = typed(card?.content);

  it("is a Workflows message carrying an Adaptive Card 1.4", () => {
    expect(teamsMessage(content())).toMatchObject({
      type: "message",
      attachments: [
        {
          contentType: "application/vnd.microsoft.card.adaptive",
          content: { type: "AdaptiveCard", version: "1.4" },
        },
      ],
    });
  });

  it("puts payload-controlled text in TextRuns only, which render no Markdown", () => {
    const kinds = new Set(objects.map((object) => object.type));
    expect(kinds.has("TextBlock")).toBe(false);
    expect(kinds.has("FactSet")).toBe(false);
    const runs = objects.filter((object) => object.type === "TextRun").map((object) => String(object.text));
    expect(runs).toContain(HOSTILE);
    const outsideRuns = JSON.stringify({ ...card?.content, body: undefined });
    expect(outsideRuns).not.toContain("evil.example");
    expect(outsideRuns).not.toContain("<!channel>");
    expect(String(card?.content.fallbackText)).toBe(`ITOC360: incident #42 (HIGH), see ${DASHBOARD}`);
  });

  it("links only with our own buttons: the action links, the dashboard, and the build when http(s)", () => {
    expect(card?.content.actions).toEqual([
      { type: "Action.OpenUrl", title: "Acknowledge", url: `${DASHBOARD}?action=acknowledge` },
      { type: "Action.OpenUrl", title: "Resolve", url: `${DASHBOARD}?action=resolve` },
      { type: "Action.OpenUrl", title: "Open incident #42", url: DASHBOARD },
      { type: "Action.OpenUrl", title: "Build #7", url: "https://ci.example.com/job/a/7/" },
    ]);
    const noBuild = teamsMessage(content({ alert: { build_url: "javascript:alert(1)" } }));
    expect(noBuild.attachments[0]?.content.actions).toHaveLength(3);
    expect(JSON.stringify(noBuild)).not.toContain("javascript:");
  });
});

describe("signed webhooks", () => {
  const secret = newSigningSecret();
  const signing = { id: "msg_0123456789abcdef0123456789abcdef", secret, timestamp: new Date() };
  const message = buildMessage("webhook", content(), signing);

  it("sends the documented body", () => {
    expect(JSON.parse(message.body)).toEqual({
      type: "incident.opened",
      timestamp: "2026-11-29T12:00:00.000Z",
      incident: expect.objectContaining({ id: 42, job_path: HOSTILE, provider: "jenkins" }),
      alert: expect.objectContaining({ build_number: 7, build_url: "https://ci.example.com/job/a/7/" }),
      incident_url: DASHBOARD,
      deploys_before: [],
    });
    const none = buildMessage("webhook", content({ alert: null, event: "resolved" }), signing);
    expect(JSON.parse(none.body)).toMatchObject({ type: "incident.resolved", alert: null });
  });

  it("carries the notification's webhook-id and the attempt's timestamp", () => {
    expect(message.headers["webhook-id"]).toBe("msg_0123456789abcdef0123456789abcdef");
    expect(message.headers["webhook-timestamp"]).toBe(String(Math.floor(signing.timestamp.getTime() / 1000)));
  });

  it("verifies with the standardwebhooks package", () => {
    expect(new Webhook(secret).verify(message.body, message.headers)).toEqual(JSON.parse(message.body));
    expect(() => new Webhook(secret).verify(`${message.body} `, message.headers)).toThrow(
      "No matching signature",
    );
    expect(() => new Webhook(newSigningSecret()).verify(message.body, message.headers)).toThrow();
  });

  it("verifies with an independent HMAC-SHA256 of id.timestamp.body", async () => {
    expect(message.headers["webhook-signature"]).toBe(
      await specSignature(secret, message.headers, message.body),
    );
  });

  it("is never sent unsigned", () => {
    expect(() => buildMessage("webhook", content())).toThrow("always signed");
  });

  it("has a secret of 32 random bytes in the whsec_ form", () => {
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(newSigningSecret()).not.toBe(secret);
  });
});

describe("Teams links (RFC 3986, the card schema's uri-reference)", () => {
  /** RFC 3986 `pchar`: what a path segment, a query or a fragment may hold as it is. */
  const PCHAR = "(?:[A-Za-z0-9\\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})";
  /** RFC 3986's grammar for an http(s) URI (reg-name or IP-literal host), written from the RFC. */
  const RFC3986_HTTP = new RegExp(
    `^https?://(?:(?:[A-Za-z0-9\\-._~!$&'()*+,;=:]|%[0-9A-Fa-f]{2})*@)?` +
      `(?:\\[[0-9A-Fa-f:.]+\\]|(?:[A-Za-z0-9\\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{2})*)(?::\\d*)?` +
      `(?:/${PCHAR}*)*(?:\\?(?:${PCHAR}|[/?])*)?(?:#(?:${PCHAR}|[/?])*)?$`,
  );
  const buttons = (build_url: string) =>
    (teamsMessage(content({ alert: { build_url } })).attachments[0]?.content.actions ?? []) as {
      title: string;
      url: string;
    }[];
  /** The build's button: the last one. */
  const buildButton = (build_url: string) => buttons(build_url).at(-1);

  it("percent-encodes a build URL's |, backticks, braces, carets and brackets, keeping it the same link", () => {
    const raw = "https://ci.example.com/job/a|b/`x`/[7]/?q={1}^|`#frag|x`#y";
    const build = buildButton(raw);
    expect(build?.url).toBe(
      "https://ci.example.com/job/a%7Cb/%60x%60/%5B7%5D/?q=%7B1%7D%5E%7C%60#frag%7Cx%60%23y",
    );
    expect(build?.url).toMatch(RFC3986_HTTP);
    // The same path, query and fragment once decoded: nothing but the spelling changed.
    const [before, after] = [new URL(raw), new URL(build?.url ?? "")];
    expect(decodeURIComponent(after.pathname)).toBe(decodeURIComponent(before.pathname));
    expect(decodeURIComponent(after.search)).toBe(decodeURIComponent(before.search));
    expect(new URL(raw).href).toMatch(/\|/); // what the card carried before
    expect(new URL(raw).href).not.toMatch(RFC3986_HTTP);
  });

  it("keeps valid %XX escapes, encodes a stray %, non-ASCII as UTF-8, and leaves the host alone", () => {
    const build = buildButton("https://user:pa%20ss@[::1]:8080/job/a%2Fb/100%/ü?x=%41&y=ü#ü");
    expect(build?.url).toBe("https://user:pa%20ss@[::1]:8080/job/a%2Fb/100%25/%C3%BC?x=%41&y=%C3%BC#%C3%BC");
    expect(build?.url).toMatch(RFC3986_HTTP);
    const plain = buildButton("https://ci.example.com/job/a/7/");
    expect(plain?.url).toBe("https://ci.example.com/job/a/7/");
  });

  it("encodes the dashboard links the same way, the action links too", () => {
    const odd = teamsMessage({ ...content(), incidentUrl: "https://itoc.example.com/x|y/incidents/42" });
    const urls = ((odd.attachments[0]?.content.actions ?? []) as { url: string }[]).map(({ url }) => url);
    expect(urls.slice(0, 3)).toEqual([
      "https://itoc.example.com/x%7Cy/incidents/42?action=acknowledge",
      "https://itoc.example.com/x%7Cy/incidents/42?action=resolve",
      "https://itoc.example.com/x%7Cy/incidents/42",
    ]);
  });
});

describe("Unicode direction controls", () => {
  const CONTROLS = "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069";
  const ANY_CONTROL = /[\u202A-\u202E\u2066-\u2069]/;
  /** A job whose name, shown as it is, reads "exe.png". */
  const SPOOF = "\u202Egnp.exe";
  const spoofed = content({
    incident: { job_path: `acme/${SPOOF}`, acknowledged_by: `\u2067bob\u2069` },
    alert: { branch: `main${CONTROLS}`, culprits: [SPOOF], commit: "abc" },
  });

  it("are written as <U+XXXX>, every one of them, and nothing else is touched", () => {
    expect(showDirectionControls(CONTROLS)).toBe(
      "<U+202A><U+202B><U+202C><U+202D><U+202E><U+2066><U+2067><U+2068><U+2069>",
    );
    // Marks, Arabic and Hebrew text, emoji: not controls that reorder what follows.
    const other = "\u200F\u200E\u061C עברית العربية 🔴 é";
    expect(showDirectionControls(other)).toBe(other);
  });

  it("show as escapes in every Slack text, so ‮gnp.exe cannot pose as exe.png", () => {
    const message = slackMessage(spoofed);
    const body = JSON.stringify(message);
    expect(body).not.toMatch(ANY_CONTROL);
    const plain = typed(message.blocks)
      .filter((object) => object.type === "plain_text")
      .map((object) => String(object.text));
    expect(plain[0]).toContain("acme/<U+202E>gnp.exe");
    expect(plain).toContain("main<U+202A><U+202B><U+202C><U+202D><U+202E><U+2066><U+2067><U+2068><U+2069>");
    expect(message.text).toContain("acme/&lt;U+202E&gt;gnp.exe");
  });

  it("show as escapes in every Teams text run", () => {
    const message = teamsMessage({ ...spoofed, incident: { ...spoofed.incident, state: "acknowledged" } });
    expect(JSON.stringify(message)).not.toMatch(ANY_CONTROL);
    const runs = typed(message.attachments[0]?.content)
      .filter((object) => object.type === "TextRun")
      .map((object) => String(object.text));
    expect(runs[0]).toContain("acme/<U+202E>gnp.exe");
    expect(runs).toContain("<U+202E>gnp.exe");
    expect(runs).toContain("acknowledged by <U+2067>bob<U+2069>");
  });

  it("stay as they are in the signed webhook's JSON: data for a program, which must match Jenkins' names", () => {
    const signing = {
      id: "msg_2f1c4b0e9d8a7c6b5a4f3e2d1c0b9a8f",
      secret: newSigningSecret(),
      timestamp: new Date(),
    };
    const body = JSON.parse(buildMessage("webhook", spoofed, signing).body);
    expect(body.incident.job_path).toBe(`acme/${SPOOF}`);
  });
});
