/**
 * Times on the dashboard: in the HTML as UTC with the zone named, readable without script, for the
 * layout's script to show in the reader's own time zone (with that zone named).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { utcText } from "../../../src/dashboard/shell/time";
import { buildPayload, createSource, deliver } from "../../helpers";
import { page, signIn } from "../dashboard-client";

let session: string;
let alertId: number;

beforeAll(async () => {
  session = await signIn();
  const { token } = await createSource("times");
  const res = await deliver(
    buildPayload({ job: "times/api", number: 2, phase: "COMPLETED", status: "FAILURE" }),
    {
      token,
    },
  );
  ({ alert_id: alertId } = (await res.json()) as { alert_id: number });
});

const html = async (path: string) => (await page(path, {}, session)).text();
const times = (markup: string) => [...markup.matchAll(/<time ([^>]*)>([^<]*)<\/time>/g)];

describe("times", () => {
  it("reads a stored time as UTC, to the minute or to the second", () => {
    expect(utcText("2026-11-29T20:15:03.120Z")).toBe("2026-11-29 20:15 UTC");
    expect(utcText("2026-11-29T20:15:03.120Z", true)).toBe("2026-11-29 20:15:03 UTC");
    expect(utcText("not a time")).toBe("not a time");
  });

  it.each(["/", "/incidents", "/alerts", "/alerts/1", "/sources"])(
    "%s shows every time in UTC with the zone named, and carries the script that localises them",
    async (path) => {
      const markup = await html(path === "/alerts/1" ? `/alerts/${alertId}` : path);
      const found = times(markup);
      expect(found.length).toBeGreaterThan(0);
      for (const [, attributes = "", text] of found) {
        const iso = /datetime="([^"]+)"/.exec(attributes)?.[1] ?? "";
        expect(text).toBe(utcText(iso, attributes.includes('data-precision="seconds"')));
      }
      expect(markup).toContain('timeZoneName: "short"');
    },
  );

  it("shows how long ago beside the times lists are scanned by", async () => {
    expect(await html("/alerts")).toMatch(
      /<\/time><br\/?><small class="age" data-since="[^"]+">\d+ (s|min) ago<\/small>/,
    );
  });
});
