/**
 * The job identity read from a payload's `url` (src/core/job.ts): the corpus of URL shapes a real
 * Jenkins sends (docs/jenkins-wire-format.md §5), the ones refused and why, and the bounded key.
 */
import { describe, expect, it } from "vitest";
import { JOB_KEY_MAX, JOB_NAME_KEPT, jobIdentity, jobLabel } from "../../src/core/job";
import { sha256Hex } from "../../src/platform/sha256";

const fullName = (url: string) => {
  const identity = jobIdentity(url);
  return identity.ok ? identity.fullName : `refused: ${identity.reason}`;
};

describe("job identity", () => {
  it.each([
    // Folders: one job/<segment>/ per level.
    ["job/payments-api/", "payments-api"],
    ["job/acme/job/web-shop/job/payments-api/", "acme/web-shop/payments-api"],
    // Multibranch: the branch name mangled, then encoded again; decoded once, it stays mangled.
    ["job/acme/job/web-shop/job/feature%252Fx/", "acme/web-shop/feature%2Fx"],
    ["job/Team%20A/job/d%C3%A9ploiement%20%F0%9F%9A%80/", "Team A/déploiement 🚀"],
    // What Util.rawEncode keeps as it is.
    ["job/a!$&'()*+,-.=@_b/", "a!$&'()*+,-.=@_b"],
    // Matrix configurations: no job/ segment, the axes sorted, label expressions included.
    ["job/matrix/jdk=17,label=linux/", "matrix/jdk=17,label=linux"],
    ["job/acme/job/matrix/jdk=17,label=linux/", "acme/matrix/jdk=17,label=linux"],
    ["job/matrix/label=linux&&docker/", "matrix/label=linux&&docker"],
    ["job/matrix/label=linux%20&&%20!windows/", "matrix/label=linux && !windows"],
    ["job/matrix/./jdk=17,label=linux/", "matrix/jdk=17,label=linux"], // cores before getShortUrl dropped "."
    // An axis value may hold a /: Jenkins' own full name joins it as it is.
    ["job/matrix/path=src%2Fmain/", "matrix/path=src/main"],
    // Maven modules: groupId$artifactId.
    ["job/mvn-app/com.acme$core/", "mvn-app/com.acme$core"],
    ["job/ci/job/mvn-app/com.acme$core/", "ci/mvn-app/com.acme$core"],
    // Views: the URL of the request that ended the build; a view names no job.
    ["view/Team/job/x-svc/", "x-svc"],
    ["view/A/view/B/job/x-svc/", "x-svc"],
    ["view/Team/job/matrix/jdk=17/", "matrix/jdk=17"],
    ["job/web-shop/view/change-requests/job/PR-12/", "web-shop/PR-12"],
    ["view/Team/job/web-shop/view/change-requests/job/PR-12/", "web-shop/PR-12"],
    ["user/alice/my-views/view/all/job/x-svc/", "x-svc"],
    ["user/job/my-views/view/job/job/x-svc/", "x-svc"], // a user and a view named "job"
    ["me/my-views/view/all/job/x-svc/", "x-svc"],
    ["view/Caf%C3%A9/job/x-svc/", "x-svc"],
    // Names that look like the words of the grammar are names.
    ["job/job/job/view/", "job/view"],
    // Tolerated: a leading /, a missing trailing /.
    ["/job/x-svc/", "x-svc"],
    ["job/x-svc", "x-svc"],
    ["/view/all/job/x", "x"],
  ])("reads %s as the job %s", (url, name) => {
    expect(fullName(url)).toBe(name);
  });

  it.each([
    ["", "no job"],
    ["/", "no job"],
    ["view/Team/", "no job"],
    ["job/folder/view/all/", "a view at the end"],
    ["job/acme%2Fweb/", "an encoded slash in a job/ name (it would be the folder's job acme/web)"],
    ["job/acme%2fweb/", "a lower-case encoded slash"],
    ["job/acme/job/a%2Fb/job/web/", "an encoded slash in a folder"],
    ["job/bad%zz/", "broken percent-encoding"],
    ["job/bad%C3/", "a cut UTF-8 sequence"],
    ["job/a//job/b/", "an empty segment"],
    ["job/", "job/ without a name"],
    ["job/has space/", "a raw space"],
    ["job/x/?token=1", "a query"],
    ["job/caf\u00e9/", "raw non-ASCII"],
  ])("refuses %j (%s), saying why", (url) => {
    const identity = jobIdentity(url);
    expect(identity.ok).toBe(false);
    if (!identity.ok) expect(identity.reason).toMatch(/^expected /);
  });

  it("is the same job through any view, and the key is the full name", () => {
    const keys = [
      "job/x-svc/",
      "view/Team/job/x-svc/",
      "view/A/view/B/job/x-svc/",
      "user/alice/my-views/view/all/job/x-svc/",
    ].map((url) => {
      const identity = jobIdentity(url);
      return identity.ok && identity.key;
    });
    expect(new Set(keys)).toEqual(new Set(["x-svc"]));
  });

  it("reads a 4,620-character URL (six folders of 85 CJK characters) as its 515-character full name", () => {
    const folder = "日".repeat(85);
    const url = Array.from({ length: 6 }, () => `job/${encodeURIComponent(folder)}/`).join("");
    expect(url.length).toBe(4620);
    const identity = jobIdentity(url);
    expect(identity).toEqual({
      ok: true,
      fullName: Array(6).fill(folder).join("/"),
      key: expect.any(String),
    });
    expect(identity.ok && identity.key).toBe(identity.ok && identity.fullName);
    expect(identity.ok && identity.key.length).toBe(515);
  });

  it("keys a full name over 4,000 bytes by its head and its SHA-256, bounded and distinct", () => {
    const deep = (last: string) =>
      `${Array.from({ length: 20 }, (_, i) => `job/${`f${i}-`.padEnd(250, "x")}/`).join("")}job/${last}/`;
    const a = jobIdentity(deep("a"));
    const b = jobIdentity(deep("b"));
    if (!a.ok || !b.ok) throw new Error("refused");
    expect(a.fullName.length).toBeGreaterThan(JOB_NAME_KEPT);
    expect(a.key).toBe(`${a.fullName.slice(0, JOB_NAME_KEPT)}…${sha256Hex(a.fullName)}`);
    expect(a.key.length).toBeLessThanOrEqual(JOB_KEY_MAX);
    // Longer than any name kept whole, so no job's own name can equal it.
    expect(a.key.length).toBeGreaterThan(JOB_NAME_KEPT);
    expect(b.key).not.toBe(a.key);
    expect(b.key.slice(0, JOB_NAME_KEPT)).toBe(a.key.slice(0, JOB_NAME_KEPT));
  });

  it("never cuts a surrogate pair in a hashed key", () => {
    const name = `${"x".repeat(JOB_NAME_KEPT - 1)}🚀${"y".repeat(10)}`;
    const identity = jobIdentity(`job/${encodeURIComponent(name)}/`);
    if (!identity.ok) throw new Error("refused");
    expect(identity.key.startsWith(`${"x".repeat(JOB_NAME_KEPT - 1)}…`)).toBe(true);
  });

  it("keeps a full name of exactly 4,000 bytes whole", () => {
    const name = "n".repeat(JOB_NAME_KEPT);
    expect(jobIdentity(`job/${name}/`)).toEqual({ ok: true, fullName: name, key: name });
    const cjk = "構".repeat(1333); // 3,999 bytes
    expect(jobIdentity(`job/${encodeURIComponent(cjk)}/`)).toEqual({ ok: true, fullName: cjk, key: cjk });
  });

  it("measures the name in bytes as stored: 1,400 CJK characters or 700 control characters are hashed", () => {
    for (const name of ["構".repeat(1400), "\u001b".repeat(700)]) {
      const identity = jobIdentity(`job/${encodeURIComponent(name)}/`);
      if (!identity.ok) throw new Error("refused");
      expect(identity.key).toMatch(/…[0-9a-f]{64}$/);
      expect(new TextEncoder().encode(JSON.stringify(identity.key)).byteLength - 2).toBeLessThanOrEqual(4073);
    }
  });

  it("reads multibranch names for people", () => {
    expect(jobLabel("acme/web-shop/feature%2Fx")).toBe("acme/web-shop/feature/x");
    expect(jobLabel("matrix/label=linux&&docker")).toBe("matrix/label=linux&&docker");
  });
});

describe("sha256Hex", () => {
  it.each(["", "abc", "a".repeat(55), "a".repeat(56), "a".repeat(64), "é🚀/".repeat(2000)])(
    "agrees with crypto.subtle for a %#th input",
    async (text) => {
      const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
      const hex = Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
      expect(sha256Hex(text)).toBe(hex);
    },
  );
});
