/**
 * The sign-in form: the admin token, and a display name the dashboard records with what you
 * acknowledge or resolve. An error is announced (`role="alert"`) and tied to its field; a notice says
 * when the page is not a secure context, where the browser would drop the session cookie
 * (./secure-context.ts).
 */
import { raw } from "hono/html";
import { MAX_DISPLAY_NAME_LENGTH } from "./display-name";
import { Layout } from "./layout";
import { SECURE_CONTEXT_SCRIPT, type SignInContext } from "./secure-context";

export function LoginPage(props: {
  nonce: string;
  next: string;
  context: SignInContext;
  /** The name as typed, kept when the form comes back. */
  name?: string;
  error?: string;
  nameError?: string;
}) {
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
          <label>
            Your name (optional)
            <input
              type="text"
              name="name"
              value={props.name ?? ""}
              maxlength={MAX_DISPLAY_NAME_LENGTH}
              autocomplete="name"
              aria-invalid={props.nameError ? "true" : undefined}
              aria-describedby={props.nameError ? "name-error name-hint" : "name-hint"}
            />
          </label>
          <p class="muted" id="name-hint">
            <small>
              Shown with what you acknowledge or resolve. A label, not a proof of who you are: everyone signs
              in with the same token.
            </small>
          </p>
          {props.nameError && (
            <p class="error" id="name-error" role="alert">
              {props.nameError}
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
