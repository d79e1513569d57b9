// Languages: English and Chinese; every label comes from i18n/{en,zh}.json. The choice is kept in
// localStorage ("greenbri.lang"); the first visit follows navigator.language.
const KEY = "greenbri.lang";
const LANGUAGES = ["en", "zh"];
const dictionaries = {};
const listeners = new Set();
let current = "en";

function initial() {
  let stored = null;
  try {
    stored = localStorage.getItem(KEY);
  } catch {
    stored = null;
  }
  if (LANGUAGES.includes(stored)) return stored;
  const preferred = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || "en"];
  return preferred.some((tag) => String(tag).toLowerCase().startsWith("zh")) ? "zh" : "en";
}

export async function initI18n() {
  const loaded = await Promise.all(
    LANGUAGES.map((code) => fetch(`i18n/${code}.json`).then((response) => response.json())),
  );
  LANGUAGES.forEach((code, index) => {
    dictionaries[code] = loaded[index];
  });
  current = initial();
  document.documentElement.lang = current === "zh" ? "zh-CN" : "en";
}

export function lang() {
  return current;
}

/** The label `key` in the current language; `{name}` placeholders are filled from `values`. */
export function t(key, values = {}) {
  const text = dictionaries[current]?.[key] ?? dictionaries.en?.[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

/** A bilingual value ({en, zh}) in the current language, falling back to the other. */
export function pick(value) {
  if (value == null) return "";
  if (typeof value === "string") return value;
  return value[current] || value.en || value.zh || "";
}

/** A label if the dictionary has `key`, else `fallback` (for codes from the API). */
export function tOr(key, fallback) {
  return dictionaries[current]?.[key] ?? dictionaries.en?.[key] ?? fallback;
}

export function applyLabels(root = document) {
  for (const element of root.querySelectorAll("[data-i18n]")) element.textContent = t(element.dataset.i18n);
  for (const element of root.querySelectorAll("[data-i18n-title]")) element.title = t(element.dataset.i18nTitle);
  for (const element of root.querySelectorAll("[data-i18n-placeholder]")) element.placeholder = t(element.dataset.i18nPlaceholder);
  for (const element of root.querySelectorAll("[data-i18n-aria]")) element.setAttribute("aria-label", t(element.dataset.i18nAria));
}

export function setLang(code) {
  if (!LANGUAGES.includes(code) || code === current) return;
  current = code;
  try {
    localStorage.setItem(KEY, code);
  } catch {
    // private mode: the choice lasts for this page only
  }
  document.documentElement.lang = code === "zh" ? "zh-CN" : "en";
  applyLabels();
  for (const listener of listeners) listener(code);
}

export function onLanguage(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Numbers in the current locale. */
export function number(value, digits = 1) {
  if (value == null || Number.isNaN(Number(value))) return "—";
  return Number(value).toLocaleString(current === "zh" ? "zh-CN" : "en-GB", { maximumFractionDigits: digits });
}
