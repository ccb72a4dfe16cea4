/**
 * Every time the dashboard shows, through one component. The HTML says it in UTC with the zone named
 * (`<time datetime="2026-11-29T20:15:03.120Z">2026-11-29 20:15 UTC</time>`), so it reads right
 * without script; the layout's script (TIME_SCRIPT, under the page's CSP nonce) rewrites it into the
 * browser's own time zone, named too ("2026-11-29 21:15 CET"), including in rows a live refresh adds,
 * and keeps relative ages ("3 min ago") current.
 */
import { nowMs } from "../../platform/clock";

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * `2026-11-29T20:15:03.120Z` → `2026-11-29 20:15 UTC`, or `…20:15:03 UTC` with `seconds` (an
 * unreadable value is shown as it is).
 */
export function utcText(iso: string, seconds = false): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const day = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`;
  return `${day} ${time}${seconds ? `:${pad(date.getUTCSeconds())}` : ""} UTC`;
}

/** "42 s ago", "3 min ago", "5 h ago", "2 d ago". */
export function relativeAge(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}

/**
 * A time; with `seconds`, to the second (timelines, where steps are seconds apart); with `age`, how
 * long ago on a line of its own below it (lists people scan).
 */
export function Time({
  iso,
  age = false,
  seconds = false,
}: {
  iso: string;
  age?: boolean;
  seconds?: boolean;
}) {
  return (
    <>
      <time datetime={iso} data-precision={seconds ? "seconds" : undefined}>
        {utcText(iso, seconds)}
      </time>
      {age && (
        <>
          <br />
          <small class="age" data-since={iso}>
            {relativeAge(iso, nowMs())}
          </small>
        </>
      )}
    </>
  );
}

/**
 * The page's script: each `<time datetime>` in the browser's time zone, with the zone's short name
 * in the reader's language (digits kept Latin, the order kept year first like the UTC text); ages
 * every 15 s. A MutationObserver catches the rows a live refresh puts in.
 */
export const TIME_SCRIPT = `
(() => {
  const options = {
    year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit",
    hourCycle: "h23", timeZoneName: "short", numberingSystem: "latn",
  };
  const minutes = new Intl.DateTimeFormat(undefined, options);
  const seconds = new Intl.DateTimeFormat(undefined, { ...options, second: "2-digit" });
  const local = (time) => {
    const date = new Date(time.getAttribute("datetime"));
    if (Number.isNaN(date.getTime())) return;
    const toSeconds = time.dataset.precision === "seconds";
    const format = toSeconds ? seconds : minutes;
    const p = Object.fromEntries(format.formatToParts(date).map((part) => [part.type, part.value]));
    time.textContent = p.year + "-" + p.month + "-" + p.day + " " + p.hour + ":" + p.minute
      + (toSeconds ? ":" + p.second : "") + " " + p.timeZoneName;
  };
  const age = (since) => {
    const s = Math.max(0, Math.round((nowMs() - Date.parse(since)) / 1000));
    return s < 60 ? s + " s ago" : s < 3600 ? Math.floor(s / 60) + " min ago"
      : s < 86400 ? Math.floor(s / 3600) + " h ago" : Math.floor(s / 86400) + " d ago";
  };
  const ages = (root) => root.querySelectorAll(".age[data-since]").forEach((el) => {
    el.textContent = age(el.dataset.since);
  });
  const within = (root) => {
    if (root.matches?.("time[datetime]")) local(root);
    root.querySelectorAll("time[datetime]").forEach(local);
    ages(root);
  };
  within(document.body);
  new MutationObserver((changes) => {
    for (const change of changes) {
      change.addedNodes.forEach((node) => { if (node.nodeType === Node.ELEMENT_NODE) within(node); });
    }
  }).observe(document.body, { childList: true, subtree: true });
  setInterval(() => ages(document.body), 15000);
})();
`;
