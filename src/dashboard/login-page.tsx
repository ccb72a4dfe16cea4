/**
 * The sign-in form. An error is announced (`role="alert"`) and tied to the token field; a notice says
 * when the page is not a secure context, where the browser would drop the session cookie (./secure-context.ts).
 */
import { raw } from "hono/html";
import { Layout } from "./layout";
import { SECURE_CONTEXT_SCRIPT, type SignInContext } from "./secure-context";

export function LoginPage(props: { nonce: string; next: string; context: SignInContext; error?: string }) {
  const { context } = props;
  return (
    <Layout title="Sign in" nonce={props.nonce} signedIn={false}>
      <div class="card narrow">
        <h1>Sign in</h1>
        <p class="notice card" id="insecure-context" hidden={context.secure}>
          <strong>Signing in needs https or localhost.</strong> On a plain http page this browser does not
          keep the sign-in cookie, so this form would only come back. Open the dashboard over https (for
          example through an https tunnel in front of this server) or, on the machine that runs it, at{" "}
          <code>{context.localUrl}</code>.
        </p>
        <form method="post" action="/login">
          <input type="hidden" name="next" value={props.next} />
          <label>
            Admin token
            <input
              type="password"
              name="token"
              autocomplete="current-password"
              required
              autofocus
              aria-invalid={props.error ? "true" : undefined}
              aria-describedby={props.error ? "token-error" : undefined}
            />
          </label>
          {props.error && (
            <p class="error" id="token-error" role="alert">
              {props.error}
            </p>
          )}
          <p>
            <button type="submit">Sign in</button>
          </p>
        </form>
      </div>
      <script nonce={props.nonce}>{raw(SECURE_CONTEXT_SCRIPT)}</script>
    </Layout>
  );
}
