/**
 * The SSRF rules for destination URLs (src/notify/destinations/url.ts), on the hosts the URL parser
 * hands them: every spelling of a private, loopback, link-local or unspecified address is refused,
 * public hosts are not, and ALLOW_PRIVATE_DESTINATIONS lifts the rules but never allows credentials.
 */
import { describe, expect, it } from "vitest";
import { checkDestinationUrl, isPrivateHost, urlDisplay } from "../../../src/notify/destinations/url";

const verdict = (url: string, allowPrivate = false) => {
  const result = checkDestinationUrl(url, allowPrivate);
  return result.ok ? "ok" : result.message;
};

describe("destination URLs", () => {
  it.each([
    "https://127.0.0.1/hook",
    "https://127.255.255.254/",
    "https://0x7f.1/", // hex and short IPv4 forms, read by the URL parser as 127.0.0.1
    "https://2130706433/",
    "https://017700000001/",
    "https://127.0.0.1./",
    "https://10.0.0.1/",
    "https://172.16.0.1/",
    "https://172.31.255.255/",
    "https://192.168.1.10:8443/",
    "https://100.64.0.1/",
    "https://100.127.255.255/",
    "https://169.254.169.254/latest/meta-data/",
    "https://0.0.0.0/",
    "https://[::1]/",
    "https://[::]/",
    "https://[0:0:0:0:0:0:0:1]/",
    "https://[fc00::1]/",
    "https://[fd12:3456::1]/",
    "https://[fe80::1]/",
    "https://[::ffff:127.0.0.1]/",
    "https://[::ffff:10.1.2.3]/",
    "https://[::ffff:a9fe:a9fe]/", // 169.254.169.254, IPv4-mapped
    "https://[64:ff9b::192.168.0.1]/",
    "https://[::ffff:8.8.8.8]/", // IPv4-mapped: refused whatever the address inside
    "https://[0:0:0:0:0:ffff:808:808]/",
    "https://[::ffff:0:8.8.8.8]/", // IPv4-translated (RFC 2765)
    "https://[64:ff9b:1::8.8.8.8]/", // local-use NAT64 (RFC 8215)
    "https://[64:ff9b:1:ffff::1]/",
    "https://198.18.0.1/",
    "https://192.0.0.8/",
    "https://224.0.0.1/",
    "https://255.255.255.255/",
    "https://[ff02::1]/",
    "https://[2002:c0a8:0101::1]/", // 6to4 around 192.168.1.1
    "https://localhost/",
    "https://LOCALHOST./",
    "https://api.localhost/",
  ])("refuses %s", (url) => {
    expect(verdict(url)).toBe("must not point to localhost or a private, loopback or link-local address");
  });

  it.each([
    "https://hooks.slack.com/services/T0/B0/xyz",
    "https://example.webhook.office.com/workflows/abc?sig=1",
    "https://172.32.0.1/",
    "https://100.128.0.1/",
    "https://11.0.0.1/",
    "https://[2606:4700::1111]/",
    "https://[64:ff9b::8.8.8.8]/", // well-known NAT64 prefix: judged by the address inside
    "https://[64:ff9b:2::1]/",
    "https://localhost.example.com/",
  ])("allows %s", (url) => {
    expect(verdict(url)).toBe("ok");
  });

  it("takes https only, without credentials, at most 2048 characters", () => {
    expect(verdict("http://hooks.slack.com/x")).toBe("expected an https URL");
    expect(verdict("ftp://example.com/")).toBe("expected an https URL");
    expect(verdict("javascript:alert(1)")).toBe("expected an https URL");
    expect(verdict("hooks.slack.com/x")).toBe("expected an absolute URL");
    expect(verdict("https://user:pass@hooks.slack.com/x")).toBe(
      "must not carry credentials (user:password@)",
    );
    expect(verdict("https://token@hooks.slack.com/x")).toBe("must not carry credentials (user:password@)");
    const long = `https://example.com/${"a".repeat(2048 - 20)}`;
    expect(long).toHaveLength(2048);
    expect(verdict(long)).toBe("ok");
    expect(verdict(`${long}a`)).toBe("at most 2048 characters");
  });

  it("with ALLOW_PRIVATE_DESTINATIONS takes http and private hosts, still no credentials", () => {
    expect(verdict("http://127.0.0.1:9999/hook", true)).toBe("ok");
    expect(verdict("https://[::1]/", true)).toBe("ok");
    expect(verdict("http://localhost/", true)).toBe("ok");
    expect(verdict("ftp://127.0.0.1/", true)).toBe("expected an http or https URL");
    expect(verdict("http://a:b@127.0.0.1/", true)).toBe("must not carry credentials (user:password@)");
  });

  it("shows a URL as its scheme and host only", () => {
    expect(urlDisplay(new URL("https://hooks.slack.com/services/T0/B0/secret?x=1#y"))).toBe(
      "https://hooks.slack.com",
    );
    expect(urlDisplay(new URL("http://127.0.0.1:9999/hook"))).toBe("http://127.0.0.1:9999");
  });

  it("reads any IPv6 spelling it is given", () => {
    expect(isPrivateHost("[0:0:0:0:0:ffff:7f00:1]")).toBe(true);
    expect(isPrivateHost("[::ffff:8.8.8.8]")).toBe(true);
    expect(isPrivateHost("[0064:ff9b:0001:0000::1]")).toBe(true);
    expect(isPrivateHost("[fe80::1:2:3:4:5]")).toBe(true);
    expect(isPrivateHost("[not:an:address]")).toBe(true); // unreadable: refused
    expect(isPrivateHost("hooks.slack.com")).toBe(false);
  });
});
