// Country profiles: pick a country on the map (or type its code), then its indicators from
// GET /v1/countries/{iso3}/profile: latest value, trend, rank and a chart of each series.
import { ApiError, getJSON, NotAvailable, url } from "../api.js";
import { lineChart } from "../charts.js";
import { clear, errorBox, h, noData } from "../dom.js";
import { lang, number, pick, t } from "../i18n.js";
import { countryAt, createMap, mapLibraryMissing } from "../map.js";

export function mount(container, args) {
  const missing = mapLibraryMissing();
  if (missing) {
    container.append(missing);
    return {};
  }
  const state = { iso3: (args[0] || "").toUpperCase(), profile: undefined, map: null };
  const input = h("input", { id: "country-code", maxlength: 3, placeholder: "PAK", value: state.iso3, style: { width: "5em", textTransform: "uppercase" } });
  const go = h("button", { type: "submit", class: "primary", "data-i18n": "countries.show" }, t("countries.show"));
  const formElement = h("form", { class: "tools" }, input, go);
  formElement.addEventListener("submit", (event) => {
    event.preventDefault();
    if (/^[A-Za-z]{3}$/.test(input.value)) location.hash = `#/countries/${input.value.toUpperCase()}`;
  });
  const profileBox = h("div", { id: "country-profile" });
  const mapBox = h("div", { class: "map country-map", id: "country-map" });
  const side = h("aside", { class: "panel side" },
    h("h2", { "data-i18n": "countries.title" }, t("countries.title")),
    h("p", { class: "small muted", "data-i18n": "countries.help" }, t("countries.help")), formElement, mapBox);
  const main = h("div", { class: "panel profile" }, profileBox);
  container.append(side, main);

  function render() {
    if (!state.iso3) return clear(profileBox, h("p", { class: "muted" }, t("countries.pick")));
    if (state.profile === undefined) return clear(profileBox, h("p", { class: "muted" }, t("common.loading")));
    // 404: no such endpoint or country; 400: e.g. the indicator store is empty — both are "no data"
    if (state.profile === null || (state.profile instanceof ApiError && state.profile.status === 400)) {
      const detail = state.profile?.message ? h("p", { class: "small muted" }, state.profile.message, " ", state.profile.problem?.hint || "") : null;
      return clear(profileBox, h("h1", {}, state.iso3), noData("countries.noProfile"), detail);
    }
    if (state.profile instanceof Error) return clear(profileBox, h("h1", {}, state.iso3), errorBox(state.profile));
    const profile = state.profile;
    const indicators = profile.indicators || [];
    clear(profileBox,
      h("div", { class: "country-head" },
        h("div", {}, h("h1", {}, `${pick(profile.country?.name) || state.iso3} (${state.iso3})`),
          h("div", { class: "small muted" }, [profile.country?.un_region, profile.country?.un_subregion, profile.country?.income_group].filter(Boolean).join(" · "))),
        h("div", { class: "tools" },
          h("a", { href: url(`/v1/countries/${state.iso3}/profile`, { format: "html", lang: lang() }), download: "" }, t("countries.downloadHtml")),
          h("a", { href: url(`/v1/countries/${state.iso3}/profile`, { format: "pdf", lang: lang() }), download: "" }, t("countries.downloadPdf")))),
      h("div", { class: "chips" }, (profile.groups || []).map((group) => h("span", { class: "chip" }, pick(group.name)))),
      profile.summary ? h("p", {}, pick(profile.summary)) : null,
      indicators.length ? h("div", { class: "cards" }, indicators.map((item) => h("div", { class: "card", dataset: { indicator: item.id } },
        h("h3", {}, pick(item.name)),
        h("div", { class: "value" }, number(item.latest?.value, 2), " ", h("span", { class: "small muted" }, item.unit || "")),
        h("div", { class: "small muted" }, t("countries.latestYear", { year: item.latest?.year ?? "—" }),
          item.rank?.position != null ? ` · ${t("countries.rank", { rank: item.rank.position, of: item.rank.of ?? "?" })}` : "",
          item.trend?.slope_per_year != null ? ` · ${t("countries.trend", { slope: number(item.trend.slope_per_year, 3) })}` : ""),
        lineChart(item.series || [], { unit: item.unit, title: pick(item.name) }))))
        : noData("countries.noIndicators"));
  }

  async function load() {
    render();
    if (!state.iso3) return;
    const wanted = state.iso3;
    try {
      const profile = await getJSON(`/v1/countries/${wanted}/profile`, { lang: lang() });
      if (wanted === state.iso3) state.profile = profile;
    } catch (error) {
      if (wanted === state.iso3) state.profile = error instanceof NotAvailable ? null : error;
    }
    render();
  }

  createMap(mapBox, { center: [80, 30], zoom: 0.4 }).then((map) => {
    state.map = map;
    map.addLayer({ id: "country-selected", type: "fill", source: "countries", "source-layer": "countries", filter: ["==", ["get", "iso_a3"], state.iso3 || "—"], paint: { "fill-color": "#2e7d32", "fill-opacity": 0.6 } });
    map.on("click", (event) => {
      const found = countryAt(map, event.point);
      if (found?.iso3 && found.iso3 !== "-99") location.hash = `#/countries/${found.iso3}`;
    });
  }).catch((error) => side.append(errorBox(error)));
  load();

  return {
    update(next) {
      state.iso3 = (next[0] || "").toUpperCase();
      input.value = state.iso3;
      state.profile = undefined;
      state.map?.setFilter("country-selected", ["==", ["get", "iso_a3"], state.iso3 || "—"]);
      load();
    },
    relabel: render,
    unmount() {
      state.map?.remove();
    },
  };
}
