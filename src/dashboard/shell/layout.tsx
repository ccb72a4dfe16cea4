/**
 * The page frame: head (CSS under the CSP nonce), skip link, navigation, sign-out, and the script
 * that shows times in the reader's time zone (./time.tsx).
 */
import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import type { Role } from "../../people/roles";
import { DEAD_LETTERS_LINK_ID } from "./dead-letter-badge";
import { STYLES } from "./styles";
import { TIME_SCRIPT } from "./time";

/**
 * The header's links, in order, with the least role whose pages they open (the routes' own check):
 * {@link navForRole} takes out those above the reader's role.
 */
export const NAV: readonly { href: string; label: string; needs: Role; id?: string }[] = [
  { href: "/", label: "Needs attention", needs: "viewer" },
  { href: "/incidents", label: "Incidents", needs: "viewer" },
  { href: "/alerts", label: "Alerts", needs: "viewer" },
  { href: "/jobs", label: "Jobs", needs: "viewer" },
  { href: "/insights", label: "Insights", needs: "viewer" },
  { href: "/sources", label: "Sources", needs: "viewer" },
  { href: "/silences", label: "Silences", needs: "viewer" },
  { href: "/destinations", label: "Destinations", needs: "admin" },
  { href: "/dead-letters", label: "Dead letters", needs: "viewer", id: DEAD_LETTERS_LINK_ID },
  { href: "/people", label: "People", needs: "viewer" },
  { href: "/audit", label: "Audit log", needs: "admin" },
];

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
                {NAV.map((link) => (
                  <a href={link.href} id={link.id}>
                    {link.label}
                  </a>
                ))}
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
        <script nonce={nonce}>{raw(TIME_SCRIPT)}</script>
      </body>
    </html>
  );
}

/** One fact of a `<dl class="facts">`: its label and what it says. */
export function Fact({ label, children }: { label: string; children: Child }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

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
