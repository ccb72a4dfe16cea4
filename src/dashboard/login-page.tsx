/** The sign-in form. */
import { Layout } from "./layout";

export function LoginPage(props: { nonce: string; next: string; error?: string }) {
  return (
    <Layout title="Sign in" nonce={props.nonce} signedIn={false}>
      <div class="card narrow">
        <h1>Sign in</h1>
        <form method="post" action="/login">
          <input type="hidden" name="next" value={props.next} />
          <label>
            Admin token
            <input type="password" name="token" autocomplete="current-password" required autofocus />
          </label>
          {props.error && <p class="error">{props.error}</p>}
          <p>
            <button type="submit">Sign in</button>
          </p>
        </form>
      </div>
    </Layout>
  );
}
