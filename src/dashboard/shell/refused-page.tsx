/**
 * The page a signed-in person sees where their role does not reach (403), or when Cloudflare Access's
 * assertion cannot be verified (401): what happened and whom to ask, never which check failed.
 */
import type { Context } from "hono";
import type { SecureHeadersVariables } from "hono/secure-headers";
import { Layout } from "./layout";

export function RefusedPage(props: { nonce: string; title: string; message: string; ask: string }) {
  return (
    <Layout title={props.title} nonce={props.nonce} signedIn={false}>
      <div class="card narrow">
        <h1>{props.title}</h1>
        <p>{props.message}</p>
        <p>{props.ask}</p>
      </div>
    </Layout>
  );
}

export function refusedPage(c: Context, status: 401 | 403, title: string, message: string, ask: string) {
  return c.html(
    <RefusedPage
      nonce={(c.get("secureHeadersNonce") as SecureHeadersVariables["secureHeadersNonce"]) ?? ""}
      title={title}
      message={message}
      ask={ask}
    />,
    status,
  );
}
