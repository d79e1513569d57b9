// The greenbri dashboard: a hash router over the pages, the language switch, nothing else global.
import { applyLabels, initI18n, lang, onLanguage, setLang, t } from "./i18n.js";
import { clear, errorBox, h } from "./dom.js";

const PAGES = {
  map: () => import("./pages/map.js"),
  countries: () => import("./pages/countries.js"),
  screening: () => import("./pages/screening.js"),
  monitoring: () => import("./pages/monitoring.js"),
  targets: () => import("./pages/targets.js"),
  plans: () => import("./pages/plans.js"),
};

const root = document.getElementById("page");
let active = null;
let generation = 0;

function route() {
  const [name, ...rest] = (location.hash.replace(/^#\/?/, "") || "map").split("/");
  return { name: PAGES[name] ? name : "map", args: rest.map(decodeURIComponent) };
}

async function show() {
  const { name, args } = route();
  const ticket = ++generation;
  for (const link of document.querySelectorAll("#nav a")) {
    link.classList.toggle("active", link.dataset.page === name);
    if (link.dataset.page === name) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  if (active?.name === name && active.page.update) {
    active.page.update(args);
    return;
  }
  active?.page.unmount?.();
  active = null;
  clear(root, h("p", { class: "loading" }, t("common.loading")));
  try {
    const module = await PAGES[name]();
    if (ticket !== generation) return;
    const container = h("section", { class: `page page-${name}` });
    clear(root, container);
    const page = module.mount(container, args);
    active = { name, page };
    document.title = `${t(`nav.${name}`)} · ${t("app.title")}`;
    window.greenbri = window.greenbri || {};
    window.greenbri.page = name;
  } catch (error) {
    clear(root, errorBox(error));
  }
}

function markLanguage() {
  for (const button of document.querySelectorAll(".lang button")) {
    const on = button.dataset.lang === lang();
    button.classList.toggle("active", on);
    button.setAttribute("aria-pressed", String(on));
  }
}

async function start() {
  await initI18n();
  applyLabels();
  markLanguage();
  for (const button of document.querySelectorAll(".lang button")) button.addEventListener("click", () => setLang(button.dataset.lang));
  onLanguage(() => {
    markLanguage();
    document.title = `${t(`nav.${route().name}`)} · ${t("app.title")}`;
    active?.page.relabel?.();
  });
  window.addEventListener("hashchange", show);
  window.greenbri = Object.assign(window.greenbri || {}, { lang, setLang });
  await show();
}

start().catch((error) => clear(root, errorBox(error)));
