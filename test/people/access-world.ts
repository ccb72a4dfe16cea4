/**
 * Cloudflare Access in front of the Worker, for one test file: a key of its own, served at a path of its
 * own by the loopback certs endpoint (scripts/lib/access-keys-server.ts, so the Worker's per-URL key cache
 * starts empty for it), the vars that point the Worker at it, and assertions signed for anyone.
 */
import { inject } from "vitest";
import { serveKeys } from "../../fixtures/access-keys.ts";
import { type AccessKey, generateAccessKey, keySet, signAssertion } from "../../fixtures/access-signer.ts";
import { nowMs } from "../../src/platform/clock";

export interface AccessWorld {
  /** The overrides that put Access in front of the Worker (with `vars` on top). */
  env: Partial<Env>;
  key: AccessKey;
  /** A valid assertion for five minutes with `claims` (which may override aud, iss, iat, nbf, exp). */
  sign(claims: Record<string, unknown>): Promise<string>;
  /** A person's valid assertion, with `extra` claims. */
  assertionFor(email: string, extra?: Record<string, unknown>): Promise<string>;
}

/** Access for the test file named `name` (its team domain, audience and certs path are made from it). */
export async function accessWorld(name: string, vars: Partial<Env> = {}): Promise<AccessWorld> {
  const certsBase = inject("accessKeys");
  const team = `${name}.cloudflareaccess.com`;
  const aud = `aud-of-${name}`;
  const key = await generateAccessKey();
  await serveKeys(certsBase, `/${name}/certs`, keySet(key));
  const sign = (claims: Record<string, unknown>) => {
    const at = Math.floor(nowMs() / 1000);
    return signAssertion(key, {
      aud: [aud],
      iss: `https://${team}`,
      iat: at,
      nbf: at,
      exp: at + 300,
      ...claims,
    });
  };
  return {
    env: {
      ACCESS_TEAM_DOMAIN: team,
      ACCESS_AUD: aud,
      ACCESS_CERTS_URL: `${certsBase}/${name}/certs`,
      ...vars,
    },
    key,
    sign,
    assertionFor: (email, extra = {}) => sign({ email, ...extra }),
  };
}
