/**
 * The alerts page's only script (under the CSP nonce): every 3 s it asks for alerts newer than the
 * newest shown, plus the current rows of those shown, and puts them in place without moving what the
 * reader is looking at. It also keeps the relative ages current.
 */
export const LIVE_SCRIPT = `
(() => {
  const body = document.getElementById("alerts");
  if (!body) return;
  const age = (iso) => {
    const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
    return s < 60 ? s + " s ago" : s < 3600 ? Math.floor(s / 60) + " min ago"
      : s < 86400 ? Math.floor(s / 3600) + " h ago" : Math.floor(s / 86400) + " d ago";
  };
  const refreshAges = () => document.querySelectorAll("time[datetime]").forEach((t) => {
    if (t.closest("td")) t.textContent = age(t.getAttribute("datetime"));
  });
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
      if (current) current.replaceWith(row); else fresh.push(row);
    }
    if (fresh.length) {
      body.prepend(...fresh);
      document.getElementById("no-alerts")?.remove();
    }
    // Keep what the reader is looking at in place when rows are added above it.
    if (window.scrollY > 0) window.scrollBy(0, document.documentElement.scrollHeight - before);
    refreshAges();
  };
  setInterval(() => poll().catch(() => {}), 3000);
  setInterval(refreshAges, 15000);
})();
`;
