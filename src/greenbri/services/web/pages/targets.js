// Policy targets: the status of each (GET /v1/targets/evaluation), with progress, the latest value
// and the target, each status written out (never colour alone).
import { getJSON, NotAvailable } from "../api.js";
import { clear, errorBox, h, noData } from "../dom.js";
import { number, pick, t, tOr } from "../i18n.js";

const COMPARATORS = { at_least: "≥", at_most: "≤", above: ">", below: "<", about: "≈", equal: "=" };

export function mount(container) {
  const body = h("div", { id: "targets-body" }, h("p", { class: "muted" }, t("common.loading")));
  container.append(h("h1", { "data-i18n": "targets.title" }, t("targets.title")),
    h("p", { class: "muted", "data-i18n": "targets.help" }, t("targets.help")), body);
  let rows;

  function render() {
    if (rows === null) return clear(body, noData("targets.none"));
    if (!rows.length) return clear(body, noData("targets.none"));
    const counts = {};
    for (const row of rows) counts[row.status] = (counts[row.status] || 0) + 1;
    clear(body,
      h("div", { class: "chips" }, Object.entries(counts).map(([status, count]) => h("span", { class: `status ${status}` }, `${tOr(`target.${status}`, status)}: ${count}`))),
      h("table", { class: "data", id: "targets-table" },
        h("thead", {}, h("tr", {}, ["targets.target", "targets.scope", "targets.status", "targets.latest", "targets.goal", "targets.progress", "targets.reason"].map((key) => h("th", {}, t(key))))),
        h("tbody", {}, rows.map((row) => {
          const progress = row.progress_from_baseline;
          return h("tr", { dataset: { target: row.target } },
            h("td", {}, h("strong", {}, pick(row.name) || row.target), h("div", { class: "small muted" }, row.target),
              row.measured_by === "proxy" ? h("div", { class: "small muted" }, `${t("targets.proxy")}: ${row.measured_indicator}`) : null),
            h("td", {}, row.scope),
            h("td", {}, h("span", { class: `status ${row.status}` }, tOr(`target.${row.status}`, row.status))),
            h("td", {}, row.latest_value != null ? `${number(row.latest_value, 2)} (${row.latest_year})` : t("common.noData")),
            h("td", {}, row.target_value != null ? `${COMPARATORS[row.comparator] ?? row.comparator ?? ""} ${number(row.target_value, 2)} (${row.target_year ?? "—"})` : (row.qualifier || "—")),
            h("td", {}, progress != null
              ? h("div", { title: `${number(progress * 100, 0)} %` }, h("div", { class: "bar" }, h("span", { style: { width: `${Math.max(0, Math.min(1, progress)) * 100}%` } })), h("span", { class: "small" }, `${number(progress * 100, 0)} %`))
              : "—"),
            h("td", { class: "small" }, row.reason || ""));
        }))));
  }

  getJSON("/v1/targets/evaluation").then((data) => {
    rows = Array.isArray(data) ? data : data?.targets || [];
    render();
  }).catch((error) => {
    if (error instanceof NotAvailable) {
      rows = null;
      render();
    } else clear(body, errorBox(error));
  });
  return { relabel: () => rows !== undefined && render() };
}
