/** The answer to creating a personal token on the dashboard: its value, this once. */
import type { ApiToken } from "../../people/token-store";
import { Layout } from "../shell/layout";

export function TokenCreatedPage(props: { nonce: string; token: ApiToken; value: string }) {
  return (
    <Layout title="Token created" nonce={props.nonce}>
      <div class="card narrow">
        <h1>Token “{props.token.name}” created</h1>
        <p>
          Copy it now: it is shown only on this page and kept nowhere (only its hash is stored). Role{" "}
          <strong>{props.token.role}</strong>.
        </p>
        <p>
          <code id="token-value">{props.value}</code>
        </p>
        <p>
          <a href="/people">← People</a>
        </p>
      </div>
    </Layout>
  );
}
