// Monitoring: stations coloured by their latest real-time AQI (GET /v1/aqi/latest), a station's daily
// series (GET /v1/stations/{id}/daily) with the limits of the ambient standards drawn in, open alerts.
import { ApiError, getJSON, NotAvailable } from "../api.js";
import { lineChart } from "../charts.js";
import { clear, errorBox, h, noData } from "../dom.js";
import { number, pick, t, tOr } from "../i18n.js";
import { createMap, fitTo, mapLibraryMissing } from "../map.js";

/** HJ 633 categories by AQI (the API sends each station's own category and colour; this is the legend). */
const BANDS = [
  [50, "#00e400", "aqi.good"], [100, "#ffff00", "aqi.moderate"], [150, "#ff7e00", "aqi.usg"],
  [200, "#ff0000", "aqi.unhealthy"], [300, "#99004c", "aqi.veryUnhealthy"], [Infinity, "#7e0023", "aqi.hazardous"],
];
const NO_AQI = "#9e9e9e";
/** The limits drawn on a daily series: China's grade 2 and WHO's guideline (2021). */
const LIMIT_STANDARDS = [["cn-gb3095-2012", "grade_2", "#c62828", "GB 3095"], ["who-aqg-2021", "AQG", "#6a1b9a", "WHO AQG"]];

function stationName(row) {
  return pick({ en: row.name_en || row.name_zh || row.station_id, zh: row.name_zh || row.name_en || row.station_id });
}

export function mount(container) {
  const missing = mapLibraryMissing();
  if (missing) {
    container.append(missing);
    return {};
  }
  const state = { rows: [], station: null, daily: null, limits: null, alerts: null, alertsError: null, key: "pm25_24h" };
  const listBox = h("div", { id: "station-status" });
  const seriesBox = h("div", { id: "station-series" });
  const alertsBox = h("div", { id: "alerts" });
  const mapBox = h("div", { class: "map", id: "monitoring-map" });
  const side = h("aside", { class: "panel side" },
    h("h2", { "data-i18n": "monitoring.title" }, t("monitoring.title")), listBox, seriesBox,
    h("h3", { "data-i18n": "monitoring.alerts" }, t("monitoring.alerts")), alertsBox);
  container.append(side, mapBox);

  function legend() {
    return h("div", { class: "legend", "aria-label": t("monitoring.legend") },
      BANDS.map(([, colour, key]) => h("span", {}, h("i", { style: { background: colour } }), t(key))),
      h("span", {}, h("i", { style: { background: NO_AQI } }), t("common.noData")));
  }

  function renderList() {
    if (state.rows === null) return clear(listBox, noData("monitoring.noStations"));
    if (!state.rows.length) return clear(listBox, legend(), noData("monitoring.noStations"));
    clear(listBox, legend(), h("p", { class: "small muted" }, t("monitoring.stationCount", { count: state.rows.length })));
  }

  function limitsFor(key) {
    if (!state.limits) return [];
    const [pollutant, averaging] = key.split("_");
    return state.limits.flatMap(({ standard, level, colour, label }) => standard.limits
      .filter((limit) => limit.pollutant === pollutant && limit.averaging === averaging && limit.level === level)
      .slice(0, 1)
      .map((limit) => ({ value: limit.value, label: `${label} ${number(limit.value)}`, colour })));
  }

  function renderSeries() {
    if (!state.station) return clear(seriesBox, h("p", { class: "small muted" }, t("monitoring.pickStation")));
    const title = h("h3", {}, stationName(state.station));
    if (state.daily === "loading") return clear(seriesBox, title, h("p", { class: "muted" }, t("common.loading")));
    if (!state.daily || !state.daily.days?.length) return clear(seriesBox, title, noData("monitoring.noSeries"));
    const keys = Object.keys(state.daily.units || {}).filter((key) => /_(24h|mda8)$/.test(key));
    if (!keys.includes(state.key)) state.key = keys[0];
    const select = h("select", { id: "series-key", onchange: () => { state.key = select.value; renderSeries(); } },
      keys.map((key) => h("option", { value: key, selected: key === state.key }, tOr(`series.${key}`, key))));
    const points = state.daily.days.map((row) => [row.date, row[state.key]]).filter(([, value]) => value != null);
    const unit = state.daily.units[state.key] || "";
    const limits = limitsFor(state.key);
    clear(seriesBox, title, h("label", { class: "small muted" }, t("monitoring.parameter"), " ", select),
      points.length ? lineChart(points, { dates: true, limits, unit, title: `${stationName(state.station)} ${state.key}`, colour: "#1565c0", height: 150 }) : noData("monitoring.noSeries"),
      h("p", { class: "small muted" }, limits.length ? t("monitoring.limitsDrawn") : t("monitoring.noLimits")));
  }

  function renderAlerts() {
    if (state.alertsError === "key") return clear(alertsBox, h("div", { class: "nodata" }, t("monitoring.alertsNeedKey")));
    if (state.alertsError) return clear(alertsBox, noData("monitoring.noAlertsEndpoint"));
    if (state.alerts === null) return clear(alertsBox, h("p", { class: "muted" }, t("common.loading")));
    if (!state.alerts.length) return clear(alertsBox, h("p", { class: "small" }, t("monitoring.noOpenAlerts")));
    clear(alertsBox, h("ul", { class: "alerts small" }, state.alerts.slice(0, 30).map((alert) => h("li", {},
      h("span", { class: "status at_risk" }, tOr(`severity.${alert.severity}`, alert.severity || "")), " ",
      h("strong", {}, pick(alert.name) || alert.rule_id), " · ", alert.station_id, alert.parameter ? ` · ${alert.parameter}` : "",
      alert.message ? h("div", { class: "muted" }, pick(alert.message)) : null))));
  }

  async function selectStation(row) {
    state.station = row;
    state.daily = "loading";
    renderSeries();
    try {
      const [daily] = await Promise.all([
        getJSON(`/v1/stations/${encodeURIComponent(row.station_id)}/daily`),
        state.limits ? null : Promise.all(LIMIT_STANDARDS.map(async ([id, level, colour, label]) => ({ standard: await getJSON(`/v1/standards/${id}`), level, colour, label })))
          .then((limits) => { state.limits = limits; }).catch(() => { state.limits = []; }),
      ]);
      state.daily = daily;
    } catch {
      state.daily = null;
    }
    renderSeries();
  }

  async function loadAlerts() {
    try {
      state.alerts = await getJSON("/v1/alerts", { status: "open" });
      state.alertsError = null;
    } catch (error) {
      state.alertsError = error instanceof ApiError && (error.status === 401 || error.status === 403) ? "key" : "missing";
    }
    renderAlerts();
  }

  const stations = getJSON("/v1/aqi/latest").then((body) => body.stations || []).catch(async (error) => {
    if (!(error instanceof NotAvailable)) throw error;
    try {
      return ((await getJSON("/v1/stations", { limit: 10000 })).stations || []).map((row) => ({ ...row, aqi: null }));
    } catch {
      return null;
    }
  });

  Promise.all([createMap(mapBox, { center: [105, 34], zoom: 3 }), stations]).then(([map, rows]) => {
    state.map = map;
    state.rows = rows;
    renderList();
    const features = (rows || []).filter((row) => row.longitude != null && row.latitude != null).map((row, index) => ({
      type: "Feature", id: index,
      geometry: { type: "Point", coordinates: [row.longitude, row.latitude] },
      properties: { index, aqi: row.aqi ?? -1, colour: row.colour || (row.aqi == null ? NO_AQI : BANDS.find(([top]) => row.aqi <= top)[1]) },
    }));
    const collection = { type: "FeatureCollection", features };
    map.addSource("stations", { type: "geojson", data: collection });
    map.addLayer({ id: "stations", type: "circle", source: "stations", paint: { "circle-color": ["get", "colour"], "circle-radius": 6, "circle-stroke-color": "#333", "circle-stroke-width": 0.8 } });
    if (features.length) fitTo(map, collection, 7);
    map.on("click", "stations", (event) => {
      const row = rows[event.features[0].properties.index];
      new window.maplibregl.Popup().setLngLat(event.lngLat).setDOMContent(h("div", { class: "popup" },
        h("strong", {}, stationName(row)), h("div", {}, `AQI ${row.aqi ?? t("common.noData")}`, row.category ? ` · ${pick(row.category)}` : ""),
        row.primary?.length ? h("div", { class: "small muted" }, `${t("monitoring.primary")}: ${row.primary.join(", ")}`) : null,
        row.time_utc ? h("div", { class: "small muted" }, row.time_utc) : null)).addTo(map);
      selectStation(row);
    });
    map.on("mouseenter", "stations", () => { map.getCanvas().style.cursor = "pointer"; });
    map.on("mouseleave", "stations", () => { map.getCanvas().style.cursor = ""; });
    if (rows?.length) selectStation(rows[0]);
  }).catch((error) => clear(listBox, errorBox(error)));

  renderSeries();
  loadAlerts();
  return {
    relabel() {
      renderList();
      renderSeries();
      renderAlerts();
    },
    unmount() {
      state.map?.remove();
    },
  };
}
