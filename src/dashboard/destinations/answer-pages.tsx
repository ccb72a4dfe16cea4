/**
 * The pages that answer a destination form: created (a webhook's signing secret shown this once),
 * already created (the same form posted again: nothing new, no secret), and the delete confirmation.
 */
import type { Destination } from "../../notify/destinations/store";
import { Layout } from "../shell/layout";
import { addressWords } from "./address-words";

const BACK = (
  <p>
    <a href="/destinations">← Destinations</a>
  </p>
);

export function DestinationCreatedPage(props: {
  nonce: string;
  destination: Destination;
  secret: string | null;
}) {
  const { destination: d } = props;
  const words = addressWords(d);
  return (
    <Layout title="Destination created" nonce={props.nonce}>
      <h1>“{d.name}” is ready</h1>
      <div class="card">
        <p>
          {words.title} destination to {words.where}. Its {words.secret} is stored encrypted and never shown
          again{words.secret === "URL" && " beyond its host"}.
        </p>
        {props.secret !== null && (
          <>
            <p>
              <strong>Copy the signing secret now.</strong> Your endpoint verifies each message with it
              (Standard Webhooks); it is shown only on this page.
            </p>
            <p>
              <code id="signing-secret">{props.secret}</code>
            </p>
          </>
        )}
      </div>
      {BACK}
    </Layout>
  );
}

export function AlreadyCreatedPage(props: { nonce: string; destination: Destination | null }) {
  const { destination: d } = props;
  return (
    <Layout title="Already created" nonce={props.nonce}>
      <div class="card narrow">
        <h1>Already created</h1>
        <p>
          This form already created {d ? <strong>“{d.name}”</strong> : "a destination"}, so nothing new was
          created. A webhook's signing secret was shown once, on the page that answered the form, and cannot
          be shown again: if you did not copy it, delete the destination
          {d && (
            <>
              {" "}
              (<a href={`/destinations/${d.id}/delete`}>Delete…</a>)
            </>
          )}{" "}
          and create it again.
        </p>
        {BACK}
      </div>
    </Layout>
  );
}

export function DeletePage(props: { nonce: string; destination: Destination }) {
  const { destination: d } = props;
  return (
    <Layout title="Delete destination" nonce={props.nonce}>
      <div class="card narrow">
        <h1>Delete “{d.name}”?</h1>
        <p>
          Nothing more is sent to {addressWords(d).where}, including notifications still owed to it. Incidents
          keep what was sent. This cannot be undone.
        </p>
        <form method="post" action={`/destinations/${d.id}/delete`}>
          <button class="danger" type="submit">
            Yes, delete
          </button>{" "}
          <a href="/destinations">Cancel</a>
        </form>
      </div>
    </Layout>
  );
}
