/** The page frame: head (CSS under the CSP nonce), skip link, navigation, sign-out. */
import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import { DEAD_LETTERS_LINK_ID } from "./dead-letter-badge";
import { STYLES } from "./styles";

interface LayoutProps {
  title: string;
  nonce: string;
  signedIn?: boolean;
  children?: Child;
}

export function Layout({ title, nonce, signedIn = true, children }: LayoutProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · ITOC360 Jenkins`}</title>
        <style nonce={nonce}>{raw(STYLES)}</style>
      </head>
      <body>
        <a class="skip" href="#content">
          Skip to content
        </a>
        <header class="top">
          <strong>ITOC360 · Jenkins</strong>
          {signedIn && (
            <>
              <nav>
                <a href="/">Alerts</a>
                <a href="/jobs">Jobs</a>
                <a href="/sources">Sources</a>
                <a href="/silences">Silences</a>
                <a href="/dead-letters" id={DEAD_LETTERS_LINK_ID}>
                  Dead letters
                </a>
              </nav>
              <form method="post" action="/logout">
                <button class="plain" type="submit">
                  Sign out
                </button>
              </form>
            </>
          )}
        </header>
        <main id="content" tabindex={-1}>
          {children}
        </main>
      </body>
    </html>
  );
}

/** "3 min ago" now; the live script keeps it current from `datetime`. */
/** A table's header row from its column list (the same labels name each cell when rows stack). */
export function ColumnHeads({ columns }: { columns: Record<string, string> }) {
  return (
    <thead>
      <tr>
        {Object.values(columns).map((label) => (
          <th>{label}</th>
        ))}
      </tr>
    </thead>
  );
}

export function Age({ iso }: { iso: string }) {
  return (
    <time datetime={iso} title={iso}>
      {relativeAge(iso, Date.now())}
    </time>
  );
}

function relativeAge(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}

/** The build number, linked to Jenkins when the payload gave an http(s) URL (never any other scheme). */
export function BuildLink({ url, number }: { url: string | null; number: number }) {
  let safe: string | undefined;
  try {
    const parsed = new URL(url ?? "");
    if (parsed.protocol === "https:" || parsed.protocol === "http:") safe = parsed.href;
  } catch {
    // relative or broken: no link
  }
  return safe ? (
    <a href={safe} rel="noopener noreferrer" target="_blank">
      #{number}
    </a>
  ) : (
    <>#{number}</>
  );
}
