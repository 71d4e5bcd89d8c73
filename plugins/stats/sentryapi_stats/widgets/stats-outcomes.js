// Dashboard widget "Stats outcomes" (the web UI's plugin widget contract, docs/plugins.md):
// what became of what SDKs sent over the period, per outcome and category, from stats_v2.
export function render(element, { organization, period, api }) {
  let cancelled = false;
  element.textContent = "Loading…";
  api(`/api/0/organizations/${encodeURIComponent(organization)}/stats_v2/`, {
    field: "sum(quantity)", groupBy: ["outcome", "category"], statsPeriod: period, interval: "1h",
  }).then((stats) => {
    if (cancelled) return;
    const rows = stats.groups
      .map((g) => [g.by.outcome, g.by.category, g.totals["sum(quantity)"] ?? 0])
      .sort((a, b) => b[2] - a[2]);
    const max = Math.max(1, ...rows.map((r) => r[2]));
    const table = document.createElement("table");
    table.className = "widget-table";
    const head = table.createTHead().insertRow();
    for (const title of ["Outcome", "Category", "Quantity", ""]) {
      const th = document.createElement("th");
      th.textContent = title;
      head.appendChild(th);
    }
    const body = table.createTBody();
    for (const [outcome, category, quantity] of rows) {
      const row = body.insertRow();
      for (const text of [outcome, category, String(quantity)]) row.insertCell().textContent = text;
      const bar = document.createElement("span");
      bar.className = "widget-bar";
      bar.style.width = `${Math.round((100 * quantity) / max)}%`;
      row.insertCell().appendChild(bar);
    }
    element.replaceChildren(rows.length ? table : Object.assign(document.createElement("p"), {
      className: "muted", textContent: "Nothing sent in this period." }));
  }).catch((error) => {
    if (!cancelled) element.textContent = `Could not load stats: ${error.message}`;
  });
  return () => { cancelled = true; };
}
