/** The answer to a source form posted again (a reload of "is ready"): nothing new, and no token. */
import type { SourceRecord } from "../../sources/model";
import { Layout } from "../shell/layout";

export function AlreadyCreatedPage(props: { nonce: string; source: SourceRecord | null }) {
  const { source } = props;
  return (
    <Layout title="Already created" nonce={props.nonce}>
      <div class="card narrow">
        <h1>Already created</h1>
        <p>
          This form already created {source ? <strong>“{source.name}”</strong> : "a source"}, so nothing new
          was created. Its token was shown once, on the page that answered the form, and is not kept anywhere,
          so it cannot be shown again.
        </p>
        <p>
          If you did not copy it, revoke that source
          {source && !source.disabled && (
            <>
              {" "}
              (<a href={`/sources/${source.id}/revoke`}>Revoke…</a>)
            </>
          )}{" "}
          and create a new one.
        </p>
        <p>
          <a href="/sources">← Sources</a>
        </p>
      </div>
    </Layout>
  );
}
