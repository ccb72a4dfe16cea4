/**
 * The destinations page through the real Worker: a destination of each kind created from its form, a
 * webhook's signing secret shown once, the API's refusals (shape, SSRF, escalation) as sentences naming
 * the field, a destination DESTINATIONS_KEY cannot read shown as such, a missing key said instead of a
 * failure; and no page ever showing a URL beyond its host, or a secret.
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { api } from "../../helpers";
import { signIn } from "../dashboard-client";
import { createFromPage, destinationNamed, formNonce, html, seen, visit } from "./destination-client";

let session: string;
beforeAll(async () => {
  session = await signIn();
});

/** As in production (the test project allows loopback receivers). */
const STRICT = { ALLOW_PRIVATE_DESTINATIONS: "false" };
/** Every URL path and query typed into a form here: no page may show one. */
const SECRET_PARTS = ["/services/T0PAGE/B0PAGE/pageSecret42", "/hooks/itoc-page", "sig=pageSig", "k=pageKey"];
const secrets: string[] = [];

describe("creating a destination from the page", () => {
  it("creates one of each kind, with its rules, and shows only its host", async () => {
    const slack = await createFromPage(
      session,
      {
        kind: "slack",
        name: "Slack #page",
        url: `https://hooks.slack.com${SECRET_PARTS[0]}`,
        job: "acme/**",
        min_priority: "HIGH",
        kinds: ["failure", "missed_build"],
        on: ["opened", "escalated"],
        escalate_after: "30m",
      },
      STRICT,
    );
    expect(slack.status, slack.html).toBe(201);
    expect(slack.html).toContain("“Slack #page” is ready");
    expect(slack.html).toContain("https://hooks.slack.com");
    expect(slack.html).not.toContain("signing-secret");
    const teams = await createFromPage(
      session,
      { kind: "teams", name: "Teams page", url: "https://prod.logic.azure.com/workflows/1?sig=pageSig" },
      STRICT,
    );
    expect(teams.status, teams.html).toBe(201);

    expect(await destinationNamed("Slack #page")).toMatchObject({
      kind: "slack",
      url_display: "https://hooks.slack.com",
      match: { job: "acme/**", min_priority: "HIGH", kinds: ["failure", "missed_build"] },
      on: ["opened", "escalated"],
    });
    expect(await destinationNamed("Teams page")).toMatchObject({
      kind: "teams",
      match: {},
      on: ["opened", "resolved"],
    });

    const { html: list } = await html(visit("/destinations", session));
    expect(list).toContain("Slack #page");
    expect(list).toContain("Slack · https://hooks.slack.com");
    expect(list).toContain("job acme/** · priority ≥ HIGH · kinds failure, missed build");
    expect(list).toContain("on opened, escalated (escalated after 30m)");
    expect(list).toContain("Microsoft Teams · https://prod.logic.azure.com");
    expect(list).toContain("every incident");
    expect(list).toContain('<span class="badge s-passing">healthy</span>');
  });

  it("shows a webhook's signing secret on the page answering the form, and never again", async () => {
    const nonce = await formNonce(session);
    const fields = {
      form_nonce: nonce,
      kind: "webhook",
      name: "Signed page hook",
      url: "https://ops.example.com/hooks/itoc-page?k=pageKey",
      on: ["opened", "resolved"],
    };
    const created = await html(visit("/destinations", session, fields, STRICT));
    expect(created.status).toBe(201);
    const secret = /id="signing-secret">(whsec_[A-Za-z0-9+/=]+)</.exec(created.html)?.[1] ?? "";
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    secrets.push(secret);
    expect(created.html).toContain("shown only on this page");

    const again = await html(visit("/destinations", session, fields, STRICT));
    expect(again.status).toBe(409);
    expect(again.html).toContain("Already created");
    expect(again.html).toContain("“Signed page hook”");
    const id = (await destinationNamed("Signed page hook"))?.id;
    expect(again.html).toContain(`href="/destinations/${id}/delete"`);
    for (const later of [again.html, (await html(visit("/destinations", session))).html]) {
      expect(later).not.toContain(secret);
      expect(later).not.toContain("whsec_");
    }
    const apiCount = async () =>
      (
        (await (await api("/api/destinations?limit=100")).json()) as { destinations: { name: string }[] }
      ).destinations.filter((d) => d.name === "Signed page hook").length;
    expect(await apiCount()).toBe(1);
  });
});

describe("a refused form", () => {
  const refused = async (fields: Record<string, string | string[]>, overrides = STRICT) => {
    const before = await env.DB.prepare("SELECT count(*) AS n FROM destinations").first<{ n: number }>();
    const answer = await createFromPage(session, { kind: "webhook", name: "Refused", ...fields }, overrides);
    const after = await env.DB.prepare("SELECT count(*) AS n FROM destinations").first<{ n: number }>();
    expect(after?.n).toBe(before?.n);
    return answer;
  };

  it("names the URL field and why, keeps what was typed but the URL, and stores nothing", async () => {
    const bad = await refused({ url: "not a url", job: "acme/keep/**" });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain("URL: expected an absolute URL.");
    expect(bad.html).toContain('value="acme/keep/**"');
    expect(bad.html).toContain('<details class="card" open="" id="new-webhook">');
    expect(bad.html).not.toContain("not a url");
    const plain = await refused({ url: "http://ops.example.com/hooks/itoc-page" });
    expect(plain.html).toContain("URL: expected an https URL.");
  });

  it("refuses private, loopback and link-local URLs as the API does", async () => {
    for (const url of [
      "https://10.0.0.5/hooks/itoc-page",
      "https://127.0.0.1:8443/hooks/itoc-page",
      "https://[fe80::1]/hooks/itoc-page",
      "https://localhost/hooks/itoc-page",
      "https://169.254.169.254/hooks/itoc-page",
    ]) {
      const answer = await refused({ url });
      expect(answer.status, url).toBe(400);
      expect(answer.html).toContain(
        "URL: must not point to localhost or a private, loopback or link-local address.",
      );
    }
  });

  it("refuses an escalation without its delay, and a form without a name", async () => {
    const escalation = await refused({ url: "https://ops.example.com/hooks/itoc-page", on: ["escalated"] });
    expect(escalation.html).toContain("Escalate after: is required when `on` includes");
    const unnamed = await refused({ name: " ", url: "https://ops.example.com/hooks/itoc-page" });
    expect(unnamed.html).toContain("Name: expected a name.");
  });
});

describe("DESTINATIONS_KEY on the page", () => {
  it("shows a destination the current key cannot read as unreadable, with the reason", async () => {
    const otherKey = { DESTINATIONS_KEY: `k9:${btoa("another-32-byte-key-for-the-page")}`, ...STRICT };
    const made = await createFromPage(
      session,
      {
        kind: "slack",
        name: "Sealed elsewhere",
        url: "https://hooks.slack.com/services/T0PAGE/B0PAGE/pageSecret42",
      },
      otherKey,
    );
    expect(made.status).toBe(201);
    const id = (await destinationNamed("Sealed elsewhere"))?.id;
    const { html: list } = await html(visit("/destinations", session));
    const row = list.slice(
      list.indexOf(`id="destination-${id}"`),
      list.indexOf("</tr>", list.indexOf(`id="destination-${id}"`)),
    );
    expect(row).toContain('<span class="badge s-open">unreadable</span>');
    expect(row).toContain("key &quot;k9&quot; is not in DESTINATIONS_KEY");
    // Nothing to send or pause without its key: only deleting is offered.
    expect(row).not.toContain("Send a test");
    expect(row).toContain(`href="/destinations/${id}/delete"`);
    const confirm = await html(visit(`/destinations/${id}/delete`, session));
    expect(confirm.html).toContain("Delete “Sealed elsewhere”?");
    expect((await html(visit(`/destinations/${id}/delete`, session, {}))).status).toBe(303);
    expect(await destinationNamed("Sealed elsewhere")).toBeUndefined();
  });

  it("says the key is missing instead of failing, lists what is stored, and creates nothing", async () => {
    const noKey = { DESTINATIONS_KEY: "" };
    const page = await html(visit("/destinations", session, undefined, noKey));
    expect(page.status).toBe(200);
    expect(page.html).toContain('id="destinations-key-unusable"');
    expect(page.html).toContain("DESTINATIONS_KEY is not set or not valid");
    expect(page.html).toContain("Teams page");
    expect(page.html).not.toContain('name="form_nonce"');
    const nonce = await formNonce(session);
    const post = await html(
      visit(
        "/destinations",
        session,
        { form_nonce: nonce, kind: "slack", name: "Keyless", url: "https://hooks.slack.com/x", on: "opened" },
        noKey,
      ),
    );
    expect(post.status).toBe(503);
    expect(post.html).toContain('id="destinations-key-unusable"');
    expect(await destinationNamed("Keyless")).toBeUndefined();
  });
});

describe("every page above", () => {
  it("never showed a URL's path or query, and showed each signing secret on one page only", () => {
    expect(seen.length).toBeGreaterThan(20);
    for (const text of seen) for (const part of SECRET_PARTS) expect(text).not.toContain(part);
    expect(secrets).toHaveLength(1);
    for (const secret of secrets) expect(seen.filter((text) => text.includes(secret))).toHaveLength(1);
  });
});
