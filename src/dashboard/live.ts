/**
 * The alerts page's script (under the CSP nonce): every 3 s it asks for alerts newer than the newest
 * shown, plus the current rows of those shown, and puts them in place without disturbing the reader:
 *
 * - only cells whose content changed are replaced (ages, which tick by themselves, do not count), so a
 *   keyboard or screen-reader user's focus and position survive a refresh; when the focused element's
 *   own cell changes, focus moves to its counterpart in the new cell;
 * - new rows are added above, the scroll position is kept, and they are announced in the page's polite
 *   live region ("1 new alert: payments-api #131 FAILURE, HIGH");
 * - relative ages are kept current.
 */
export const LIVE_SCRIPT = `
(() => {
  const body = document.getElementById("alerts");
  if (!body) return;
  const announcer = document.getElementById("announcer");
  const age = (iso) => {
    const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
    return s < 60 ? s + " s ago" : s < 3600 ? Math.floor(s / 60) + " min ago"
      : s < 86400 ? Math.floor(s / 3600) + " h ago" : Math.floor(s / 86400) + " d ago";
  };
  const refreshAges = () => document.querySelectorAll("time[datetime]").forEach((t) => {
    if (t.closest("td")) t.textContent = age(t.getAttribute("datetime"));
  });
  // A cell as the server renders it, leaving out the ages.
  const content = (cell) => {
    const copy = cell.cloneNode(true);
    copy.querySelectorAll("time").forEach((t) => { t.textContent = ""; });
    return copy.outerHTML;
  };
  const focusables = (cell) => [...cell.querySelectorAll("a[href], button, input, select, [tabindex]")];
  const update = (shown, fresh) => {
    if (shown.cells.length !== fresh.cells.length) return shown.replaceWith(fresh);
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
  };
  const announce = (rows) => {
    if (!announcer || !rows.length) return;
    const names = rows.map((row) => row.dataset.announce);
    const more = names.length > 3 ? "; and " + (names.length - 3) + " more" : "";
    announcer.textContent = rows.length + (rows.length === 1 ? " new alert: " : " new alerts: ")
      + names.slice(0, 3).join("; ") + more;
  };
  const poll = async () => {
    const rows = [...body.querySelectorAll("tr[data-id]")];
    const newest = rows.reduce((max, row) => Math.max(max, Number(row.dataset.id)), 0);
    const query = new URLSearchParams(body.dataset.query);
    query.set("after", String(newest));
    query.set("ids", rows.slice(0, 50).map((row) => row.dataset.id).join(","));
    const res = await fetch("/alerts/rows?" + query, { headers: { "X-Requested-With": "fetch" } });
    if (!res.ok) return;
    const template = document.createElement("template");
    template.innerHTML = (await res.text()).trim();
    const before = document.documentElement.scrollHeight;
    const fresh = [];
    for (const row of [...template.content.querySelectorAll("tr[data-id]")]) {
      const current = document.getElementById(row.id);
      if (current) update(current, row); else fresh.push(row);
    }
    if (fresh.length) {
      body.prepend(...fresh);
      document.getElementById("no-alerts")?.remove();
      announce(fresh);
    }
    // Keep what the reader is looking at in place when rows are added above it.
    if (window.scrollY > 0) window.scrollBy(0, document.documentElement.scrollHeight - before);
    refreshAges();
  };
  setInterval(() => poll().catch(() => {}), 3000);
  setInterval(refreshAges, 15000);
})();
`;
