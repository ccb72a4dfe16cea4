/** Rotating a source's token: the confirmation with a grace choice, and how long old tokens have left. */

import { nowMs } from "../../platform/clock";
import { DEFAULT_GRACE } from "../../sources/grace";
import type { SourceRecord } from "../../sources/model";
import type { TokenView } from "../../sources/rotation";
import { Layout } from "../shell/layout";

/** The grace choices offered (the API takes any duration up to 7 days). */
const GRACE_CHOICES: [value: string, label: string][] = [
  ["24h", "24 hours: routine rotation, time to update Jenkins"],
  ["1h", "1 hour"],
  ["7d", "7 days"],
  ["0s", "None: the old token stops at once (it leaked)"],
];

export function RotatePage(props: {
  nonce: string;
  source: SourceRecord;
  tokens: TokenView[];
  error?: string;
}) {
  const now = nowMs();
  const previous = props.tokens.flatMap((token) => (token.current ? [] : [token.expires_at]));
  return (
    <Layout title="Rotate token" nonce={props.nonce}>
      <div class="card narrow">
        <h1>New token for “{props.source.name}”?</h1>
        <p>
          You get a new Jenkins URL, shown once. The current token keeps working for the grace period you
          choose, then stops for good (everywhere within about 90 seconds when there is no grace).
        </p>
        {previous.length > 0 && (
          <p id="previous-tokens">
            {previous.length === 1
              ? "The previous token still works"
              : `${previous.length} older tokens still work`}{" "}
            for <TimeLeft iso={previous[0] ?? ""} now={now} /> at most. Rotating again ends{" "}
            {previous.length === 1 ? "it" : "them"} no later than the current token.
          </p>
        )}
        <form method="post" action={`/sources/${props.source.id}/rotate`}>
          <label>
            Grace for the current token
            <select name="grace">
              {GRACE_CHOICES.map(([value, label]) => (
                <option value={value} selected={value === DEFAULT_GRACE}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          {props.error && <p class="error">{props.error}</p>}
          <p>
            <button type="submit">Rotate token</button> <a href="/sources">Cancel</a>
          </p>
        </form>
      </div>
    </Layout>
  );
}

/** The time left until `iso` ("45 min", "23 h 59 min", "6 d 23 h"); the exact time in the tooltip. */
export function TimeLeft({ iso, now }: { iso: string; now: number }) {
  return <span title={iso}>{timeLeft(Date.parse(iso) - now)}</span>;
}

function timeLeft(ms: number): string {
  const minutes = Math.max(0, Math.ceil(ms / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  return hours % 24 ? `${Math.floor(hours / 24)} d ${hours % 24} h` : `${Math.floor(hours / 24)} d`;
}
