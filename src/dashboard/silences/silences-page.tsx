/**
 * Silences: the form for a new one, then those active, upcoming and ended (ended ones a page at a
 * time), each active or upcoming one with an "End now" button (the form and the buttons for responders
 * and up). Times are shown in UTC, named so.
 */
import type { SilenceView } from "../../silences/rules";
import type { SourceRecord } from "../../sources/model";
import { ColumnHeads, Layout } from "../shell/layout";
import { NeedsRole } from "../shell/may";
import type { SilenceFormValues } from "./silence-form";
import { SilenceForm } from "./silence-form-view";

export type SilencesNotice = "created" | "ended";

const NOTICES: Record<SilencesNotice, string> = {
  created: "Silence created. Open incidents it matches are silenced now.",
  ended: "Silence ended. Incidents no other silence covers are no longer silenced.",
};

const COLUMN = { match: "Matches", when: "When", comment: "Comment", actions: "Actions" } as const;

/** "2025-03-29 21:00 UTC", with the instant for machines. */
export function Utc({ iso }: { iso: string }) {
  return <time datetime={iso}>{`${iso.slice(0, 16).replace("T", " ")} UTC`}</time>;
}

export interface SilencesPageProps {
  nonce: string;
  active: SilenceView[];
  upcoming: SilenceView[];
  ended: SilenceView[];
  /** Cursor to the next page of ended silences. */
  olderEnded: string | null;
  /** Whether there are more active or upcoming ones than shown. */
  more: boolean;
  sources: SourceRecord[];
  notice?: SilencesNotice;
  error?: string;
  values?: SilenceFormValues;
  /** Whether the reader may create and end silences (responder and up); viewers see the lists only. */
  canAct: boolean;
}

export function SilencesPage(props: SilencesPageProps) {
  const names = new Map(props.sources.map((source) => [source.id, source.name]));
  const table = (silences: SilenceView[], id: string, empty: string) => (
    <>
      <table class="stack" id={id}>
        <ColumnHeads columns={COLUMN} />
        <tbody>
          {silences.map((silence) => (
            <SilenceRow
              silence={silence}
              sourceName={names.get(silence.match.source_id ?? "")}
              canAct={props.canAct}
            />
          ))}
        </tbody>
      </table>
      {silences.length === 0 && <p class="muted">{empty}</p>}
    </>
  );
  return (
    <Layout title="Silences" nonce={props.nonce}>
      <h1>Silences</h1>
      <p class="muted">
        While a silence lasts, the incidents it matches are marked silenced and notify nobody. Times are in
        UTC.
      </p>
      {props.notice && <p class="card notice">{NOTICES[props.notice]}</p>}
      {props.canAct ? (
        <SilenceForm sources={props.sources} values={props.values} error={props.error} />
      ) : (
        <NeedsRole doing="Creating and ending silences" needs="responder" />
      )}
      <h2>Active</h2>
      {table(props.active, "silences-active", "No silence is active.")}
      <h2>Upcoming</h2>
      {table(props.upcoming, "silences-upcoming", "No silence is coming up.")}
      {props.more && (
        <p class="muted">
          Only the newest are shown: <code>GET /api/silences?status=active</code> lists them all.
        </p>
      )}
      <h2>Ended</h2>
      {table(props.ended, "silences-ended", "No silence has ended yet.")}
      {props.olderEnded && (
        <p>
          <a href={`/silences?${new URLSearchParams({ ended: props.olderEnded })}#silences-ended`}>
            Older ended silences →
          </a>
        </p>
      )}
    </Layout>
  );
}

function SilenceRow({
  silence,
  sourceName,
  canAct,
}: {
  silence: SilenceView;
  sourceName: string | undefined;
  canAct: boolean;
}) {
  const { match, recurrence } = silence;
  return (
    <tr id={`silence-${silence.id}`}>
      <td data-label={COLUMN.match}>
        {match.source_id === null ? "Every source" : (sourceName ?? `source ${match.source_id.slice(0, 8)}`)}
        {match.job !== null && (
          <>
            <br />
            <small>
              job <code>{match.job}</code>
            </small>
          </>
        )}
        {match.branch !== null && (
          <>
            <br />
            <small>
              branch <code>{match.branch}</code>
            </small>
          </>
        )}
      </td>
      <td data-label={COLUMN.when}>
        <Utc iso={silence.starts_at} /> → <Utc iso={silence.ends_at} />
        {recurrence && (
          <>
            <br />
            <small>
              weekly: {recurrence.days.join(", ")} {recurrence.from}–{recurrence.to} {recurrence.time_zone}
            </small>
          </>
        )}
        {silence.ended_at !== null && silence.ended_at < silence.ends_at && (
          <>
            <br />
            <small>
              ended early: <Utc iso={silence.ended_at} />
            </small>
          </>
        )}
        {silence.status !== "ended" && (
          <>
            <br />
            <small>
              {silence.silencing ? "silencing now" : "not silencing now"}
              {silence.next_change && (
                <>
                  {silence.silencing ? ", until " : ", next from "}
                  <Utc iso={silence.next_change} />
                </>
              )}
            </small>
          </>
        )}
      </td>
      <td data-label={COLUMN.comment}>
        {silence.comment}
        {silence.created_by && (
          <>
            <br />
            <small>by {silence.created_by}</small>
          </>
        )}
      </td>
      <td data-label={COLUMN.actions}>
        {canAct && silence.status !== "ended" && (
          <form method="post" action={`/silences/${silence.id}/end`}>
            <button class="danger" type="submit">
              End now
            </button>
          </form>
        )}
      </td>
    </tr>
  );
}
