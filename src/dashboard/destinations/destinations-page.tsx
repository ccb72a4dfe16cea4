/**
 * The destinations page: each destination with its state, rules and recent deliveries
 * ({@link DestinationRow}), a test's outcome when one was just sent, and a form per kind to add one. Without
 * a usable DESTINATIONS_KEY it says so, lists what is stored, and offers no form.
 */
import { DESTINATION_KINDS, type DestinationKind } from "../../core/vocabulary";
import { DESTINATIONS_KEY_UNUSABLE } from "../../notify/destinations/keyring";
import type { TestSent } from "../../notify/destinations/test-send";
import type { SourceRecord } from "../../sources/model";
import { ColumnHeads, Layout } from "../shell/layout";
import { type DestinationFormFields, emptyFields } from "./destination-form";
import { COLUMN, DestinationRow, type DestinationView } from "./destination-rows";
import { NewDestinationForm } from "./new-destination-form";

/** A test message's outcome, for the notice above the list. */
export type TestNotice = { name: string; sent: TestSent };

function TestOutcome({ test }: { test: TestNotice }) {
  const { status, ok, error, duration_ms } = test.sent;
  return (
    <div class={`card ${ok ? "" : "notice"}`} id="test-outcome" role="status">
      <p>
        Test message to “{test.name}”:{" "}
        {status === null ? `no answer (${error})` : `answered ${status}${ok ? "" : ", not a success"}`} in{" "}
        {duration_ms} ms.
        {status === 410 && " The receiver says the URL is gone, so the destination is now disabled."}
      </p>
    </div>
  );
}

export function DestinationsPage(props: {
  nonce: string;
  destinations: DestinationView[];
  /** False when DESTINATIONS_KEY is unset or malformed: nothing can be created, tested or changed. */
  keyUsable: boolean;
  sources: SourceRecord[];
  formNonce: string;
  test?: TestNotice;
  /** The refused form's kind, what was typed, and why (`path`: the field it names, if any). */
  refused?: { fields: DestinationFormFields; error: string; path?: string; kind: DestinationKind };
}) {
  return (
    <Layout title="Destinations" nonce={props.nonce}>
      <h1>Destinations</h1>
      {!props.keyUsable && (
        <div class="card notice" id="destinations-key-unusable" role="alert">
          <p>
            <strong>{DESTINATIONS_KEY_UNUSABLE}.</strong> Destinations cannot be created, tested or changed,
            and no notification goes out, until it is set (docs/notifications.md "DESTINATIONS_KEY and key
            rotation").
          </p>
        </div>
      )}
      {props.test && <TestOutcome test={props.test} />}
      {props.destinations.length === 0 ? (
        <p class="muted">No destinations yet: notifications go nowhere.</p>
      ) : (
        <table class="stack">
          <ColumnHeads columns={COLUMN} />
          <tbody>
            {props.destinations.map((view) => (
              <DestinationRow view={view} />
            ))}
          </tbody>
        </table>
      )}
      {props.keyUsable && (
        <>
          <h2>Add a destination</h2>
          {DESTINATION_KINDS.map((kind) => {
            const refused = props.refused?.kind === kind ? props.refused : undefined;
            return (
              <NewDestinationForm
                kind={kind}
                fields={refused?.fields ?? emptyFields(kind)}
                formNonce={props.formNonce}
                sources={props.sources}
                error={refused?.error}
                errorPath={refused?.path}
              />
            );
          })}
        </>
      )}
    </Layout>
  );
}
