/** A source's noise policy: the form (./policy-form.ts), what each field does, and its errors. */

import { PRIORITIES } from "../../core/vocabulary";
import { MAX_GLOB_LENGTH } from "../../platform/glob";
import type { SourceRecord } from "../../sources/model";
import { FLAKY_MODES, MAX_CONSECUTIVE_FAILURES, MAX_GLOBS, POLICY_PRIORITY_KEYS } from "../../sources/policy";
import { Layout } from "../shell/layout";
import { FLAKY_LABELS, GLOB_FIELDS, type PolicyFields, PRIORITY_LABELS } from "./policy-form";
import { PolicyText } from "./policy-text";

const GLOB_HINTS: Record<keyof typeof GLOB_FIELDS, string> = {
  jobs_include: "Empty: every job. The path as shown on the Jobs page, e.g. acme/web-shop/**",
  jobs_exclude: "Wins over the list above, e.g. sandbox/**",
  branches_include: "Empty: every branch, and builds without one. E.g. main, release/*",
  branches_exclude: "Wins over the list above, e.g. PR-*",
  deploy_jobs:
    "Their green builds are deploys, named on incidents that open within the hour after. E.g. acme/deploy-*",
};

export function PolicyPage(props: {
  nonce: string;
  source: SourceRecord;
  fields: PolicyFields;
  errors?: string[];
  saved?: boolean;
  /** Whether the reader may change it (admin); others read it as text ({@link PolicyText}). */
  canEdit: boolean;
}) {
  const { fields, source } = props;
  return (
    <Layout title="Noise policy" nonce={props.nonce}>
      <h1>Noise policy for “{source.name}”</h1>
      {props.saved && (
        <p class="card notice" role="status" id="policy-saved">
          Saved. It applies to new builds everywhere within 30 seconds.
        </p>
      )}
      {props.errors && props.errors.length > 0 && (
        <div class="card" role="alert" id="policy-errors">
          <p class="error">Nothing was saved:</p>
          <ul class="error">
            {props.errors.map((error) => (
              <li>{error}</li>
            ))}
          </ul>
        </div>
      )}
      {props.canEdit ? <PolicyForm source={source} fields={fields} /> : <PolicyText fields={fields} />}
    </Layout>
  );
}

function PolicyForm({ source, fields }: { source: SourceRecord; fields: PolicyFields }) {
  return (
    <form class="card policy" method="post" action={`/sources/${source.id}/policy`}>
      <p>
        Which of this source's builds page, and how loudly. One glob a line: <code>*</code> within a path
        segment, <code>**</code> across segments, <code>?</code> one character; case-sensitive. At most{" "}
        {MAX_GLOBS} a list, {MAX_GLOB_LENGTH} characters each. Branches are matched without a remote prefix (
        <code>origin/main</code> and <code>refs/heads/main</code> are <code>main</code>). Saving replaces the
        whole policy; it applies to new builds everywhere within 30 seconds.
      </p>
      <div class="policy-globs">
        {(Object.keys(GLOB_FIELDS) as (keyof typeof GLOB_FIELDS)[]).map((name) => (
          <label>
            {GLOB_FIELDS[name].label}
            <textarea name={name} rows={4} spellcheck={false} autocomplete="off">
              {fields[name]}
            </textarea>
            <small>{GLOB_HINTS[name]}</small>
          </label>
        ))}
      </div>
      <label>
        Failures in a row before an incident opens
        <input
          type="number"
          name="min_consecutive_failures"
          min={1}
          max={MAX_CONSECUTIVE_FAILURES}
          step={1}
          value={fields.min_consecutive_failures}
        />
      </label>
      <fieldset>
        <legend>Priority by result</legend>
        {POLICY_PRIORITY_KEYS.map((key) => (
          <label>
            {PRIORITY_LABELS[key]}
            <select name={`priority_${key}`}>
              {PRIORITIES.map((priority) => (
                <option value={priority} selected={fields.priorities[key] === priority}>
                  {priority}
                </option>
              ))}
            </select>
          </label>
        ))}
      </fieldset>
      <label>
        Builds that failed only on flaky tests
        <select name="flaky">
          {FLAKY_MODES.map((mode) => (
            <option value={mode} selected={fields.flaky === mode}>
              {FLAKY_LABELS[mode]}
            </option>
          ))}
        </select>
        <small>
          A test is flaky once a rebuild at the same commit, or the next build without changes, passed it
          after it failed.
        </small>
      </label>
      <label>
        Silent source after
        <input type="text" name="silent_after" value={fields.silent_after} placeholder="off" maxlength={10} />
        <small>
          No event at all from this source for this long opens an incident: 15m to 30d, e.g. 6h or 2d. Empty:
          off.
        </small>
      </label>
      <p>
        <button type="submit">Save policy</button> <a href="/sources">Back to sources</a>
      </p>
    </form>
  );
}
