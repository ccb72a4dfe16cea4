/**
 * A source's noise policy as text, for readers below admin (who may read it but not change it): the
 * same fields as {@link PolicyPage}'s form, in the same words, and whom changing it needs.
 */
import { type FlakyMode, POLICY_PRIORITY_KEYS } from "../../sources/policy";
import { Fact } from "../shell/layout";
import { NeedsRole } from "../shell/may";
import { FLAKY_LABELS, GLOB_FIELDS, type PolicyFields, PRIORITY_LABELS } from "./policy-form";

export function PolicyText({ fields }: { fields: PolicyFields }) {
  const globNames = Object.keys(GLOB_FIELDS) as (keyof typeof GLOB_FIELDS)[];
  return (
    <div class="card" id="policy-text">
      <dl class="facts">
        {globNames.map((name) => (
          <Fact label={GLOB_FIELDS[name].label}>
            {fields[name] === "" ? (
              <span class="muted">none</span>
            ) : (
              fields[name].split("\n").map((glob) => (
                <>
                  <code>{glob}</code>{" "}
                </>
              ))
            )}
          </Fact>
        ))}
        <Fact label="Failures in a row before an incident opens">{fields.min_consecutive_failures}</Fact>
        {POLICY_PRIORITY_KEYS.map((key) => (
          <Fact label={`Priority: ${PRIORITY_LABELS[key]}`}>{fields.priorities[key]}</Fact>
        ))}
        <Fact label="Builds that failed only on flaky tests">
          {FLAKY_LABELS[fields.flaky as FlakyMode] ?? fields.flaky}
        </Fact>
        <Fact label="Silent source after">{fields.silent_after || <span class="muted">off</span>}</Fact>
      </dl>
      <NeedsRole doing="Changing the policy" needs="admin" />
      <p>
        <a href="/sources">Back to sources</a>
      </p>
    </div>
  );
}
