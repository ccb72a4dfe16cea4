/**
 * A second, independent reading of a Standard Webhooks signature, written from the specification rather
 * than with the `standardwebhooks` package the Worker signs with: `v1,` + base64(HMAC-SHA256 under the
 * base64-decoded secret after `whsec_`, of `id.timestamp.body`).
 */
export async function specSignature(secret: string, headers: Record<string, string>, body: string) {
  const key = await crypto.subtle.importKey(
    "raw",
    Uint8Array.from(atob(secret.slice("whsec_".length)), (char) => char.charCodeAt(0)),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const content = `${headers["webhook-id"]}.${headers["webhook-timestamp"]}.${body}`;
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(content)));
  return `v1,${btoa(String.fromCharCode(...mac))}`;
}
