/** Dead letters: what the queues gave up on, why, and a button to replay or discard each one. */

import type { DeadLetter } from "../../dead-letters/store";
import { deliveryTitle } from "../../dead-letters/view";
import { Layout } from "../shell/layout";
import { NeedsRole } from "../shell/may";
import { Time } from "../shell/time";

export type DeadLettersNotice = "replayed" | "discarded";

const NOTICES: Record<DeadLettersNotice, string> = {
  replayed:
    "Put back on its queue. Its alert appears once the consumer stores it; an event already stored is not stored twice.",
  discarded: "Discarded.",
};

export function DeadLettersPage(props: {
  nonce: string;
  letters: DeadLetter[];
  older: string | null;
  notice?: DeadLettersNotice;
  error?: string;
  /** Whether the reader may replay and discard (admin); others see the list only. */
  canAct: boolean;
}) {
  return (
    <Layout title="Dead letters" nonce={props.nonce}>
      <h1>Dead letters</h1>
      <p class="muted">
        Messages a queue gave up on, newest first, with why. Replay puts one back on its queue; Discard
        deletes it.
      </p>
      {props.notice && <p class="card notice">{NOTICES[props.notice]}</p>}
      {props.error && <p class="error">{props.error}</p>}
      {!props.canAct && <NeedsRole doing="Replaying and discarding" needs="admin" />}
      <table>
        <thead>
          <tr>
            <th>Died</th>
            <th>Message</th>
            <th>Why</th>
            {props.canAct && <th />}
          </tr>
        </thead>
        <tbody id="dead-letters">
          {props.letters.map((letter) => (
            <DeadLetterRow letter={letter} canAct={props.canAct} />
          ))}
        </tbody>
      </table>
      {props.letters.length === 0 && <p class="muted">No dead letters.</p>}
      {props.older && (
        <p>
          <a href={`/dead-letters?${new URLSearchParams({ cursor: props.older })}`}>Older dead letters →</a>
        </p>
      )}
    </Layout>
  );
}

function DeadLetterRow({ letter, canAct }: { letter: DeadLetter; canAct: boolean }) {
  const delivery = deliveryTitle(letter.body);
  return (
    <tr>
      <td>
        <Time iso={letter.dead_at} age />
        <br />
        <small>{letter.queue}</small>
      </td>
      <td>
        {delivery ? (
          <>
            {delivery.title}
            <br />
            <small>source {delivery.source_id.slice(0, 8)}</small>
          </>
        ) : (
          <span class="muted">not a delivery this Worker can read</span>
        )}
        <details>
          <summary>Message</summary>
          <pre>{JSON.stringify(letter.body, null, 2)}</pre>
        </details>
      </td>
      <td>
        {letter.reason}
        {letter.attempts !== null && <small> · after {letter.attempts} attempts</small>}
      </td>
      {canAct && (
        <td>
          <form method="post" action={`/dead-letters/${letter.id}/replay`}>
            <button type="submit">Replay</button>
          </form>{" "}
          <a href={`/dead-letters/${letter.id}/discard`}>Discard…</a>
        </td>
      )}
    </tr>
  );
}

export function DiscardPage(props: { nonce: string; letter: DeadLetter }) {
  const delivery = deliveryTitle(props.letter.body);
  return (
    <Layout title="Discard dead letter" nonce={props.nonce}>
      <div class="card narrow">
        <h1>Discard {delivery ? `“${delivery.title}”` : "this dead letter"}?</h1>
        <p>The message is deleted for good: it can no longer be replayed.</p>
        <form method="post" action={`/dead-letters/${props.letter.id}/discard`}>
          <button class="danger" type="submit">
            Yes, discard
          </button>{" "}
          <a href="/dead-letters">Cancel</a>
        </form>
      </div>
    </Layout>
  );
}
