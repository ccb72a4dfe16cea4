/**
 * Clients that go away mid-flight, for the soak and the aborted-clients test: one drops the connection
 * halfway through uploading the body, the other sends it all and gives up on the answer.
 */
import { request } from "node:http";

/** Sends the headers and half of `body`, then drops the connection. */
export function abortWhileUploading(url: URL, body: string, contentType: string): Promise<void> {
  return new Promise((resolve) => {
    const req = request(url, {
      method: "POST",
      headers: { "Content-Type": contentType, "Content-Length": Buffer.byteLength(body) },
    });
    req.on("error", () => resolve());
    req.write(body.slice(0, body.length / 2), () => {
      setTimeout(() => {
        req.destroy();
        resolve();
      }, 2);
    });
  });
}

/** Sends the whole request, then stops waiting for the answer after `ms`. */
export async function abortWhileWaiting(
  url: URL,
  body: string,
  contentType: string,
  ms: number,
): Promise<void> {
  await fetch(url, {
    method: "POST",
    headers: { "Content-Type": contentType },
    body,
    signal: AbortSignal.timeout(ms),
  }).then(
    (res) => res.body?.cancel(),
    () => undefined,
  );
}
