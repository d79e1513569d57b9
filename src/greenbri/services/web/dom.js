// A tiny element builder: h("div", {class: "x", onclick}, child, "text", [more]).
import { t } from "./i18n.js";

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value == null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (name === "class") element.className = value;
    else if (name === "dataset") Object.assign(element.dataset, value);
    else if (name === "style" && typeof value === "object") Object.assign(element.style, value);
    else if (value === true) element.setAttribute(name, "");
    else element.setAttribute(name, value);
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child == null || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : String(child));
  }
}

export function clear(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** The explicit "no data" message of a panel whose endpoint or data is missing. */
export function noData(detailKey = "common.noDataDetail") {
  return h("div", { class: "nodata", role: "status" }, h("strong", {}, t("common.noData")), " ", h("span", {}, t(detailKey)));
}

export function errorBox(error) {
  return h("div", { class: "error", role: "alert" }, h("strong", {}, t("common.error")), " ", error?.message || String(error));
}
