import { describe, expect, it } from "vitest";
import { hasPlainItemNames, jobFullName, jobLabel } from "../src/domain/job";

describe("job identity", () => {
  it("is the full name, not the leaf name", () => {
    expect(jobFullName("job/payments-api/")).toBe("payments-api");
    expect(jobFullName("job/acme/job/web-shop/job/payments-api/")).toBe("acme/web-shop/payments-api");
  });

  it("decodes each segment once, keeping multibranch names mangled", () => {
    expect(jobFullName("job/acme/job/web-shop/job/feature%252Fx/")).toBe("acme/web-shop/feature%2Fx");
  });

  it("decodes spaces and unicode", () => {
    expect(jobFullName("job/Team%20A/job/d%C3%A9ploiement%20%F0%9F%9A%80/")).toBe("Team A/déploiement 🚀");
  });

  it("refuses broken percent-encoding", () => {
    expect(jobFullName("job/bad%zz/")).toBeUndefined();
  });

  it("refuses an item name holding a /, which would collide with a folder's job", () => {
    expect(jobFullName("job/acme%2Fweb/")).toBe(jobFullName("job/acme/job/web/"));
    expect(hasPlainItemNames("job/acme%2Fweb/")).toBe(false);
    expect(hasPlainItemNames("job/acme/job/web/")).toBe(true);
    expect(hasPlainItemNames("job/acme/job/feature%252Fx/")).toBe(true);
  });

  it("reads multibranch names for people", () => {
    expect(jobLabel("acme/web-shop/feature%2Fx")).toBe("acme/web-shop/feature/x");
  });
});
