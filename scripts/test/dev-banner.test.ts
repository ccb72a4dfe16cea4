/** What `npm run dev` prints once the endpoint answers, for the address wrangler dev listens on. */
import { describe, expect, it } from "vitest";
import { devBanner, localBase } from "../lib/dev-banner.ts";

const line = (banner: string, start: string) => banner.split("\n").find((l) => l.startsWith(start)) ?? "";

describe("the dev banner", () => {
  it("suggests plain `npm run simulate` on wrangler's default port", () => {
    const banner = devBanner("http://localhost:8787", "itoc_t");
    expect(line(banner, "│ Try it:")).toBe(
      "│ Try it:   npm run simulate   (in another terminal: one build's four events)",
    );
    expect(banner).toContain("│   URL:    http://localhost:8787/webhooks/jenkins?token=itoc_t");
  });

  it("carries another port into the simulate command", () => {
    const banner = devBanner("http://localhost:8899", "itoc_t");
    expect(line(banner, "│ Try it:")).toContain("npm run simulate -- --port 8899 ");
    expect(line(banner, "│ Dashboard:")).toBe(
      "│ Dashboard: http://localhost:8899/   (sign in with the ADMIN_TOKEN in .dev.vars)",
    );
  });

  it.each(["http://0.0.0.0:8787", "http://[::]:8787"])(
    "listening on every interface (%s), says the dashboard is for this machine or behind https",
    (origin) => {
      const banner = devBanner(origin, "itoc_t");
      expect(line(banner, "│ Dashboard:")).toContain("open http://localhost:8787/ on this machine");
      expect(banner).toContain("the sign-in cookie needs https or localhost");
      expect(banner).toContain("for other machines put an https tunnel in front");
      expect(banner).not.toContain("0.0.0.0:");
      expect(localBase(origin)).toBe("http://localhost:8787");
    },
  );
});
