/**
 * The "New silence" form (read back by ./silence-form.ts). Start and end are wall times in the chosen
 * zone, UTC by default; the optional weekly window uses the same zone. After a refusal it comes back
 * filled in as it was sent.
 */

import { nowMs } from "../../platform/clock";
import { MAX_GLOB_LENGTH } from "../../platform/glob";
import { WEEKDAYS } from "../../silences/recurrence";
import { MAX_COMMENT_LENGTH, MAX_CREATED_BY_LENGTH } from "../../silences/schema";
import type { SourceRecord } from "../../sources/model";
import type { SilenceFormValues } from "./silence-form";

/** The zones offered: UTC first, then every IANA zone the runtime knows (a plain value, built once). */
let zones: string[] | undefined;
function timeZones(): string[] {
  zones ??= ["UTC", ...Intl.supportedValuesOf("timeZone").filter((zone) => zone !== "UTC")];
  return zones;
}

/** A `datetime-local` value for an instant, in UTC. */
const wallUtc = (ms: number) => new Date(ms).toISOString().slice(0, 16);

export function SilenceForm(props: { sources: SourceRecord[]; values?: SilenceFormValues; error?: string }) {
  const values = props.values ?? {};
  const value = (name: string, fallback = "") => {
    const given = values[name];
    return typeof given === "string" ? given : fallback;
  };
  const days = [values.days ?? []].flat();
  const zone = value("time_zone", "UTC");
  const now = nowMs();
  return (
    <div class="card">
      <h2>New silence</h2>
      <form method="post" action="/silences" class="filters" id="new-silence">
        <label>
          Source
          <select name="source_id">
            <option value="">Every source</option>
            {props.sources.map((source) => (
              <option value={source.id} selected={value("source_id") === source.id}>
                {source.disabled ? `${source.name} (revoked)` : source.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Job (glob, optional)
          <input
            type="text"
            name="job"
            maxlength={MAX_GLOB_LENGTH}
            placeholder="acme/web-shop/**"
            value={value("job")}
          />
        </label>
        <label>
          Branch (glob, optional)
          <input
            type="text"
            name="branch"
            maxlength={MAX_GLOB_LENGTH}
            placeholder="release/*"
            value={value("branch")}
          />
        </label>
        <label>
          Starts
          <input type="datetime-local" name="starts" required value={value("starts", wallUtc(now))} />
        </label>
        <label>
          Ends
          <input
            type="datetime-local"
            name="ends"
            required
            value={value("ends", wallUtc(now + 2 * 3_600_000))}
          />
        </label>
        <label>
          Time zone of these times
          <select name="time_zone">
            {timeZones().map((name) => (
              <option selected={name === zone}>{name}</option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>Only weekly (optional): on these days, from … to the next …</legend>
          {WEEKDAYS.map((day) => (
            <label>
              <span>
                <input type="checkbox" name="days" value={day} checked={days.includes(day)} /> {day}
              </span>
            </label>
          ))}
          <label>
            From
            <input type="time" name="from" value={value("from")} />
          </label>
          <label>
            To
            <input type="time" name="to" value={value("to")} />
          </label>
        </fieldset>
        <label>
          Comment
          <textarea name="comment" required maxlength={MAX_COMMENT_LENGTH} rows={2}>
            {value("comment")}
          </textarea>
        </label>
        <label>
          Your name (optional)
          <input
            type="text"
            name="created_by"
            maxlength={MAX_CREATED_BY_LENGTH}
            value={value("created_by")}
          />
        </label>
        <button type="submit">Create silence</button>
      </form>
      {props.error && (
        <p class="error" role="alert" id="silence-error">
          {props.error}
        </p>
      )}
    </div>
  );
}
