/**
 * Sources: create (the token shown once, with the Jenkins settings to copy; the same after a
 * rotation), list, revoke. Rotation's confirmation: ./rotate-pages.tsx.
 */
import type { Child } from "hono/jsx";
import type { Storage } from "../../operations/storage";
import type { SourceRecord } from "../../sources/model";
import type { SourceStats } from "../../sources/stats";
import { Layout } from "../shell/layout";
import { NeedsRole } from "../shell/may";
import { Time } from "../shell/time";
import { TimeLeft } from "./rotate-pages";

/** The sources table's columns: its headers, and each cell's label when rows stack on a phone. */
const COLUMN = {
  name: "Name",
  state: "State",
  lastEvent: "Last event",
  created: "Created",
  actions: "Actions",
} as const;

import { nowMs } from "../../platform/clock";
import { NewSourceForm } from "./new-source-form";
import { StorageLine } from "./storage-line";

export function SourcesPage(props: {
  nonce: string;
  sources: SourceRecord[];
  lastEvents: Map<string, string>;
  stats: Map<string, SourceStats>;
  /** The form's one-time nonce ({@link newFormNonce}). */
  formNonce: string;
  /** Whether the reader may add, rotate and revoke (admin); others see the list only. */
  canManage: boolean;
  /** Source id → until when a rotated-out token of it still works. */
  rotations?: Map<string, string>;
  storage?: Storage | null;
  error?: string;
}) {
  const now = nowMs();
  return (
    <Layout title="Sources" nonce={props.nonce}>
      <h1>Sources</h1>
      {props.canManage ? (
        <NewSourceForm formNonce={props.formNonce} error={props.error} />
      ) : (
        <NeedsRole doing="Adding, rotating and revoking sources" needs="admin" />
      )}
      <table class="stack">
        <thead>
          <tr>
            {Object.values(COLUMN).map((label) => (
              <th>{label === COLUMN.actions ? <span class="visually-hidden">{label}</span> : label}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.sources.map((source) => {
            const last = props.lastEvents.get(source.id);
            const rejection = props.stats.get(source.id)?.last_rejection;
            return (
              <tr>
                <td data-label={COLUMN.name}>
                  {source.name}
                  <br />
                  <small>
                    Jenkins · {source.id.slice(0, 8)}
                    {source.quiet_lifecycle ? " · quiet lifecycle" : ""}
                  </small>
                </td>
                <td data-label={COLUMN.state}>
                  <span class={`badge ${source.disabled ? "s-open" : "s-passing"}`}>
                    {source.disabled ? "revoked" : "active"}
                  </span>
                  {!source.disabled && props.rotations?.has(source.id) && (
                    <>
                      <br />
                      <small class="old-token">
                        old token: <TimeLeft iso={props.rotations.get(source.id) ?? ""} now={now} /> left
                      </small>
                    </>
                  )}
                </td>
                <td data-label={COLUMN.lastEvent}>
                  {last ? <Time iso={last} age /> : <span class="muted">never</span>}
                  {rejection && (
                    <>
                      <br />
                      <small class="error">
                        last rejected <Time iso={rejection.at} /> ({rejection.status} {rejection.problem})
                      </small>
                    </>
                  )}
                </td>
                <td data-label={COLUMN.created}>
                  <Time iso={source.created_at} />
                </td>
                <td data-label={COLUMN.actions}>
                  {!source.disabled && (
                    <>
                      <a href={`/sources/${source.id}/policy`}>Policy…</a>{" "}
                      {props.canManage && (
                        <>
                          <a href={`/sources/${source.id}/rotate`}>Rotate…</a>{" "}
                          <a href={`/sources/${source.id}/revoke`}>Revoke…</a>
                        </>
                      )}
                    </>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <StorageLine storage={props.storage ?? null} />
    </Layout>
  );
}

export function SourceCreatedPage(props: {
  nonce: string;
  source: SourceRecord;
  webhookUrl: string;
  basicUrl: string;
  /** After a rotation: the old token's notice instead of "is ready". */
  rotated?: Child;
}) {
  const rows: [string, string][] = [
    ["Format", "JSON"],
    ["Protocol", "HTTP"],
    ["Event", "All Events"],
    ["URL Source", "Plain text (or Credentials Store: a Secret text holding the URL)"],
    ["URL", props.webhookUrl],
    ["Timeout", "30000"],
    ["Retries", "0"],
    ["Log", "0"],
  ];
  return (
    <Layout title={props.rotated ? "Token rotated" : "Source created"} nonce={props.nonce}>
      <h1>{props.rotated ? `New token for “${props.source.name}”` : `“${props.source.name}” is ready`}</h1>
      <div class="card notice">
        <p>
          <strong>Copy these settings now.</strong> The token is part of the URL and is shown only on this
          page; ITOC360 keeps only its hash.
        </p>
        {props.rotated}
      </div>
      <div class="card">
        <h2>In Jenkins: job → Configure → Job Notifications → Add Endpoint</h2>
        <table class="settings">
          <tbody>
            {rows.map(([field, value]) => (
              <tr>
                <td>{field}</td>
                <td>
                  <code id={field === "URL" ? "webhook-url" : undefined}>{value}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <h2>Or keep the token out of URLs and console logs</h2>
        <p>
          Use this URL instead; Jenkins sends the token as the Basic-auth password:
          <br />
          <code id="basic-url">{props.basicUrl}</code>
        </p>
      </div>
      <p>
        <a href="/sources">← Sources</a>
      </p>
    </Layout>
  );
}

export function RevokePage(props: { nonce: string; source: SourceRecord }) {
  return (
    <Layout title="Revoke source" nonce={props.nonce}>
      <div class="card narrow">
        <h1>Revoke “{props.source.name}”?</h1>
        <p>
          Jenkins instances using its token will get 401 from now on (everywhere within about 90 seconds). Its
          alerts stay. This cannot be undone.
        </p>
        <form method="post" action={`/sources/${props.source.id}/revoke`}>
          <button class="danger" type="submit">
            Yes, revoke
          </button>{" "}
          <a href="/sources">Cancel</a>
        </form>
      </div>
    </Layout>
  );
}
