/**
 * Live lists (alerts, needs attention): a `<tbody>` rendered by LiveBody, and the script (under the
 * CSP nonce) that refreshes it every 3 s without disturbing the reader:
 *
 * - `newer` (alerts, newest first by id): asks for rows newer than the newest shown, plus the current
 *   rows of those shown; new rows go above;
 * - `all` (needs attention, a short list in an order of its own): asks for the whole list; rows are
 *   added, updated, moved and removed to match it;
 * - only cells whose content changed are replaced (times, which the page localises and ages, do not
 *   count), so a keyboard or screen-reader user's focus and position survive a refresh; when the
 *   focused element's own cell changes, focus moves to its counterpart in the new cell, and when its
 *   row leaves, to the page's content;
 * - the first row in view stays where it was when rows come or go above it, and new (or departed)
 *   rows are announced in the page's polite live region ("1 new alert: payments-api #131 FAILURE, HIGH").
 */
import type { Child } from "hono/jsx";

export function LiveBody(props: {
  id: string;
  /** The fragment's path: the rows only, for the same query. */
  from: string;
  mode: "newer" | "all";
  query: URLSearchParams;
  /** What one row is, for the announcement ("alert" → "1 new alert: …"). */
  noun: string;
  /** The id of the "nothing here" paragraph, shown when the list is empty. */
  empty: string;
  children?: Child;
}) {
  return (
    <tbody
      id={props.id}
      data-live={props.from}
      data-mode={props.mode}
      data-query={props.query.toString()}
      data-noun={props.noun}
      data-empty={props.empty}
    >
      {props.children}
    </tbody>
  );
}

export const LIVE_SCRIPT = `
(() => {
  const body = document.querySelector("tbody[data-live]");
  if (!body) return;
  const { live, mode, noun } = body.dataset;
  const announcer = document.getElementById("announcer");
  const shownRows = () => [...body.querySelectorAll("tr[data-id]")];
  const empty = document.getElementById(body.dataset.empty);
  // A cell as the server renders it, leaving out the times and ages.
  const content = (cell) => {
    const copy = cell.cloneNode(true);
    copy.querySelectorAll("time, .age").forEach((t) => { t.textContent = ""; });
    return copy.outerHTML;
  };
  const focusables = (cell) => [...cell.querySelectorAll("a[href], button, input, select, textarea, [tabindex]")];
  // Puts the fresh row's content into the shown one; returns the row now in the page.
  const update = (shown, fresh) => {
    if (shown.cells.length !== fresh.cells.length) {
      shown.replaceWith(fresh);
      return fresh;
    }
    for (const attribute of fresh.getAttributeNames()) {
      shown.setAttribute(attribute, fresh.getAttribute(attribute));
    }
    [...fresh.cells].forEach((cell, i) => {
      const old = shown.cells[i];
      if (content(old) === content(cell)) return;
      const focused = old.contains(document.activeElement) ? focusables(old).indexOf(document.activeElement) : -1;
      old.replaceWith(cell);
      if (focused >= 0) focusables(cell)[focused]?.focus({ preventScroll: true });
    });
    return shown;
  };
  const many = (n) => noun + (n === 1 ? "" : "s");
  const list = (rows) => rows.slice(0, 3).map((row) => row.dataset.announce).join("; ")
    + (rows.length > 3 ? "; and " + (rows.length - 3) + " more" : "");
  const announce = (added, gone) => {
    const parts = [];
    if (added.length) parts.push(added.length + " new " + many(added.length) + ": " + list(added));
    if (gone.length) parts.push(gone.length + " " + many(gone.length) + " left the list: " + list(gone));
    if (announcer && parts.length) announcer.textContent = parts.join(". ");
  };
  // Applies a refresh keeping the first row in view where it was (rows may come and go above it).
  const keepingPlace = (apply) => {
    const anchor = shownRows().find((row) => row.getBoundingClientRect().bottom > 0);
    const top = anchor?.getBoundingClientRect().top;
    apply();
    if (anchor?.isConnected && window.scrollY > 0) window.scrollBy(0, anchor.getBoundingClientRect().top - top);
    if (empty) empty.hidden = body.rows.length > 0;
  };
  const rowsFrom = async (query) => {
    const res = await fetch(live + "?" + query, { headers: { "X-Requested-With": "fetch" } });
    if (!res.ok) return null;
    const template = document.createElement("template");
    template.innerHTML = (await res.text()).trim();
    return [...template.content.querySelectorAll("tr[data-id]")];
  };
  const newer = async () => {
    const rows = shownRows();
    const newest = rows.reduce((max, row) => Math.max(max, Number(row.dataset.id)), 0);
    const query = new URLSearchParams(body.dataset.query);
    query.set("after", String(newest));
    query.set("ids", rows.slice(0, 50).map((row) => row.dataset.id).join(","));
    const fresh = await rowsFrom(query);
    if (!fresh) return;
    keepingPlace(() => {
      const added = [];
      for (const row of fresh) {
        const current = document.getElementById(row.id);
        if (current) update(current, row); else added.push(row);
      }
      if (added.length) body.prepend(...added);
      announce(added, []);
    });
  };
  const all = async () => {
    const fresh = await rowsFrom(new URLSearchParams(body.dataset.query));
    if (!fresh) return;
    keepingPlace(() => {
      const shown = new Map(shownRows().map((row) => [row.id, row]));
      const added = [];
      const wanted = fresh.map((row) => {
        const current = shown.get(row.id);
        shown.delete(row.id);
        if (current) return update(current, row);
        added.push(row);
        return row;
      });
      const gone = [...shown.values()];
      for (const row of gone) {
        if (row.contains(document.activeElement)) document.getElementById("content")?.focus({ preventScroll: true });
        row.remove();
      }
      // Moves only the rows out of place: moving a row would take focus from inside it.
      wanted.forEach((row, i) => {
        if (body.children[i] !== row) body.insertBefore(row, body.children[i] ?? null);
      });
      announce(added, gone);
    });
  };
  setInterval(() => (mode === "all" ? all() : newer()).catch(() => {}), 3000);
})();
`;
