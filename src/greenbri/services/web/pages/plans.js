// The plans (GET /v1/plans/evaluation?as_of=): documents > groups > items as a tree, each item's status
// written out and coloured (colours as in the reports, usecases/reports/plans_report.py), its evidence
// one click away (<details>). An item without evidence says NO DATA and the command that records one.
import { getJSON, NotAvailable } from "../api.js";
import { clear, errorBox, h, noData } from "../dom.js";
import { pick, t } from "../i18n.js";

const DEFAULT_DATE = "2025-12-31";

function evidenceList(row) {
  if (row.no_evidence) {
    return h("div", { class: "nodata small" }, h("strong", {}, t("common.noData")), " ", t("plans.noEvidence"), " ",
      h("code", {}, row.fill_command));
  }
  return h("div", { class: "small" },
    h("div", {}, `${t("plans.statusDate")}: ${row.status_date} · ${t("plans.recordedBy")}: ${row.recorded_by}`),
    h("ul", { class: "evidence" }, row.evidence.map((item) => h("li", {},
      h("code", {}, `${item.kind}=${item.reference}`),
      item.kind === "link" && /^https?:/.test(item.reference) ? [" ", h("a", { href: item.reference, rel: "noopener", target: "_blank" }, "↗")] : null,
      Object.keys(item.detail || {}).length ? h("div", { class: "muted" }, JSON.stringify(item.detail)) : null))),
    row.note ? h("div", { class: "muted" }, row.note) : null);
}

function status(code, overdue) {
  return [h("span", { class: `plan-status ${code}` }, t(`plans.status.${code}`)),
    overdue ? h("span", { class: "plan-status overdue" }, t("plans.overdue")) : null];
}

function itemNode(row) {
  const target = row.target_evaluation
    ? h("div", { class: "small" }, `${t("plans.tracker")}: `, h("span", { class: `status ${row.target_evaluation.status}` }, row.target_evaluation.status))
    : null;
  return h("details", { class: "plan-item", dataset: { item: row.id, status: row.status } },
    h("summary", {}, status(row.status, row.overdue), " ", h("strong", {}, pick(row.name)),
      h("span", { class: "small muted" }, ` ${row.id} · ${row.clause}${row.due ? ` · ${t("plans.due")} ${row.due}` : ""}`)),
    h("div", { class: "plan-evidence" }, evidenceList(row), target,
      row.milestones.map((m) => h("div", { class: "small" }, `${pick(m.name)} (${t("plans.due")} ${m.due}) `, status(m.status, m.overdue)))));
}

function tree(result) {
  return result.documents.map((document) => h("section", { class: "plan-document" },
    h("h2", {}, pick(document.title), h("span", { class: "small muted" }, ` ${document.date} · ${t(`plans.phase.${document.evaluation}`)}`)),
    document.groups.map((group) => {
      const rows = result.items.filter((row) => row.document === document.id && row.group === group.id);
      const counts = {};
      for (const row of rows) counts[row.status] = (counts[row.status] || 0) + 1;
      return h("details", { class: "plan-group", open: true },
        h("summary", {}, h("strong", {}, pick(group.name)), " ",
          Object.entries(counts).map(([code, count]) => h("span", { class: `plan-status ${code}` }, `${t(`plans.status.${code}`)}: ${count}`))),
        rows.map(itemNode));
    })));
}

export function mount(container) {
  const date = h("input", { type: "date", id: "plans-date", value: DEFAULT_DATE });
  const body = h("div", { id: "plans-body" }, h("p", { class: "muted" }, t("common.loading")));
  container.append(h("h1", { "data-i18n": "plans.title" }, t("plans.title")),
    h("p", { class: "muted", "data-i18n": "plans.help" }, t("plans.help")),
    h("label", {}, `${t("plans.asOf")} `, date), body);
  let result;

  function render() {
    if (result === null) return clear(body, noData("plans.none"));
    clear(body, h("div", { id: "plans-tree" }, tree(result)));
  }

  function load() {
    getJSON("/v1/plans/evaluation", { as_of: date.value || DEFAULT_DATE }).then((data) => {
      result = data;
      render();
    }).catch((error) => {
      if (error instanceof NotAvailable) {
        result = null;
        render();
      } else clear(body, errorBox(error));
    });
  }
  date.addEventListener("change", load);
  load();
  return { relabel: () => result !== undefined && render() };
}
