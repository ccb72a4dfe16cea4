/** The plugin's XML format: same model, same validation, same store as JSON. */
import { describe, expect, it } from "vitest";
import { parseJenkinsPayload } from "../../src/core/parse";
import { xmlToDocument } from "../../src/platform/xml";
import {
  buildPayload,
  createSource,
  deliver,
  getAlert,
  storageSnapshot,
  toPluginXml,
  XML_TYPE,
} from "../helpers";
import { captureLogs } from "../logs";

const full = buildPayload({
  job: "acme/web-shop/feature%2Flogin",
  number: 42,
  phase: "FINALIZED",
  status: "UNSTABLE",
  displayName: "feature/login",
  extra: {
    duration: 73_000,
    scm: {
      url: "https://git.example.com/acme/shop.git",
      branch: "feature/login",
      commit: "4f1c2a9e0b7d3c6a5e8f9a0b1c2d3e4f5a6b7c8d",
      changes: ["src/a.ts", "src/b.ts"],
      culprits: ["alice"],
    },
    parameters: { DEPLOY: "true", "A&B": "<x>" },
    log: "\u001b[31mred\u001b[0m line\r\nFinished: UNSTABLE",
    notes: "",
    test_summary: { total: 10, failed: 1, passed: 8, skipped: 1, failed_tests: ["a.B.c"] },
    artifacts: { "dist/app.jar": { archive: "https://ci.example.com/job/x/42/artifact/dist/app.jar" } },
  },
});

describe("reading the XML form", () => {
  it("maps XStream's layout to the JSON form, field for field", () => {
    expect(xmlToDocument(toPluginXml(full))).toEqual(full);
  });

  it("accepts the control-character references XStream writes for coloured consoles", () => {
    const xml = toPluginXml(full);
    expect(xml).toContain("&#x1b;[31m");
    const result = parseJenkinsPayload(xml, "xml");
    expect(result.ok && result.payload.build.log).toBe("\u001b[31mred\u001b[0m line\r\nFinished: UNSTABLE");
  });

  it("reports numbers that are not numbers by their path", () => {
    const xml = toPluginXml(full).replace("<number>42</number>", "<number>forty-two</number>");
    const result = parseJenkinsPayload(xml, "xml");
    expect(result.ok ? [] : result.problems).toEqual([{ path: "build.number", message: "expected number" }]);
  });

  it.each([
    ["a document that is not well-formed", "<job><name>x</job>"],
    ["another root element", "<build><number>1</number></build>"],
    ["an entity expansion", '<!DOCTYPE job [<!ENTITY a "aaaaaaaaaa">]><job><name>&a;</name></job>'],
  ])("refuses %s", (_, xml) => {
    expect(parseJenkinsPayload(xml, "xml").ok).toBe(false);
  });
});

describe("POST /webhooks/jenkins with XML", () => {
  it("stores an XML delivery like a JSON one, keeping the XML as received", async () => {
    const { token } = await createSource("xml");
    const res = await deliver(toPluginXml(full), { token, contentType: XML_TYPE });
    expect(res.status).toBe(200);
    const { alert_id } = (await res.json()) as { alert_id: number };
    const alert = await getAlert(alert_id);
    expect(alert).toMatchObject({
      job: "acme/web-shop/feature%2Flogin",
      status: "UNSTABLE",
      priority: "MEDIUM",
      branch: "feature/login",
      test_summary: { failed: 1, failed_tests: ["a.B.c"] },
    });
    expect(alert.events[0]).toMatchObject({ body_format: "xml", payload: full });
  });

  it.each([["text/xml"], ["application/xml"], ["APPLICATION/XML; charset=utf-8"]])(
    "accepts %s",
    async (contentType) => {
      const { token } = await createSource(`xml ${contentType}`);
      expect(
        (await deliver(toPluginXml(buildPayload({ job: "xml/types" })), { token, contentType })).status,
      ).toBe(200);
    },
  );

  it("reads XML sent with a JSON content type, as plugins up to 1.5 did", async () => {
    const { token } = await createSource("legacy");
    const res = await deliver(toPluginXml(buildPayload({ job: "xml/legacy", number: 3 })), { token });
    expect(res.status).toBe(200);
  });

  it("stores the same build sent once as JSON and once as XML as one delivery", async () => {
    const { token } = await createSource("both formats");
    const body = buildPayload({ job: "xml/both", number: 9, phase: "COMPLETED", status: "FAILURE" });
    const first = (await (await deliver(body, { token })).json()) as { alert_id: number; duplicate: boolean };
    const again = (await (await deliver(toPluginXml(body), { token, contentType: XML_TYPE })).json()) as {
      duplicate: boolean;
    };
    expect(first.duplicate).toBe(false);
    expect(again.duplicate).toBe(true);
    expect((await getAlert(first.alert_id)).event_count).toBe(1);
  });

  it("answers 400 with nothing stored for malformed XML", async () => {
    const { token } = await createSource("bad xml");
    const before = await storageSnapshot();
    const logs = captureLogs();
    const res = await deliver("<job><name>x</name>", { token, contentType: XML_TYPE });
    expect(res.status).toBe(400);
    expect(logs.lines).toEqual([
      expect.objectContaining({ event: "delivery_rejected", status: 400, problem: "invalid-payload" }),
    ]);
    expect(await res.json()).toMatchObject({
      errors: [{ path: "", message: expect.stringContaining("XML") }],
    });
    expect(await storageSnapshot()).toEqual(before);
  });
});
