// Screening one project: draw a point, line or polygon (click to add vertices) or upload GeoJSON,
// choose the sector and capacity, POST /v1/screenings; the traffic light (always with its word),
// the reasons per dimension and the receptors found, drawn on the map. The portfolio report (HTML or
// PDF) comes from a screening job, which needs an analyst's API key.
import { apiKey, ApiError, download, getJSON, NotAvailable, postJSON, setApiKey } from "../api.js";
import { clear, errorBox, h } from "../dom.js";
import { lang, number, pick, t, tOr } from "../i18n.js";
import { countryAt, createMap, fitTo, mapLibraryMissing } from "../map.js";
import { CAPACITY_UNITS, defaultUnit, DIMENSIONS, SECTORS, STATUSES } from "../vocabulary.js";

const EMPTY = { type: "FeatureCollection", features: [] };
const MAX_RECEPTORS_DRAWN = 30;

export function light(value, big = false) {
  const code = value || "no_data";
  return h("span", { class: `light ${code}${big ? " big" : ""}`, dataset: { class: code } },
    h("span", { class: "dot", "aria-hidden": "true" }), tOr(`class.${code}`, code));
}

function option(value, label, selected) {
  return h("option", { value, selected: value === selected }, label);
}

export function mount(container) {
  const missing = mapLibraryMissing();
  if (missing) {
    container.append(missing);
    return {};
  }
  const state = { mode: "Point", vertices: [], geometry: null, result: null, map: null, country: null, job: null };
  const form = {
    name: h("input", { id: "screen-name", value: "Project 1", required: true }),
    sector: h("select", { id: "screen-sector" }),
    status: h("select", { id: "screen-status" }),
    country: h("input", { id: "screen-country", maxlength: 3, placeholder: "CHN", pattern: "[A-Za-z]{3}", style: { textTransform: "uppercase" } }),
    capacity: h("input", { id: "screen-capacity", type: "number", min: "0", step: "any", value: "50" }),
    unit: h("select", { id: "screen-unit" }),
    file: h("input", { id: "screen-file", type: "file", accept: ".geojson,.json,application/geo+json,application/json" }),
  };
  const modeButtons = {};
  const geometryNote = h("p", { class: "small muted", id: "geometry-note" });
  const submit = h("button", { type: "submit", class: "primary", id: "screen-submit" });
  const message = h("div", { class: "small" });
  const resultBox = h("div", { id: "screening-result" });
  const mapBox = h("div", { class: "map", id: "screening-map" });

  function labels() {
    const sector = form.sector.value || "solar_power";
    clear(form.sector, SECTORS.map((code) => option(code, tOr(`sector.${code}`, code), sector)));
    const status = form.status.value || "planned";
    clear(form.status, STATUSES.map((code) => option(code, tOr(`status.${code}`, code), status)));
    const unit = form.unit.value || "MW";
    clear(form.unit, CAPACITY_UNITS.map((code) => option(code, tOr(`unit.${code}`, code), unit)));
    for (const [mode, button] of Object.entries(modeButtons)) button.textContent = t(`screening.mode.${mode}`);
    submit.textContent = t("screening.submit");
    describeGeometry();
    if (state.result) renderResult();
  }

  function describeGeometry() {
    const geometry = currentGeometry();
    const where = state.country ? ` · ${pick(state.country.name)} (${state.country.iso3})` : "";
    geometryNote.textContent = geometry
      ? `${t(`screening.mode.${geometry.type === "LineString" ? "LineString" : geometry.type === "Point" ? "Point" : "Polygon"}`)}: ${t("screening.vertices", { count: state.vertices.length || "—" })}${where}`
      : t(`screening.hint.${state.mode}`);
  }

  function currentGeometry() {
    if (state.geometry) return state.geometry;
    const points = state.vertices;
    if (state.mode === "Point" && points.length) return { type: "Point", coordinates: points[points.length - 1] };
    if (state.mode === "LineString" && points.length >= 2) return { type: "LineString", coordinates: points };
    if (state.mode === "Polygon" && points.length >= 3) return { type: "Polygon", coordinates: [[...points, points[0]]] };
    return null;
  }

  function drawDraft() {
    if (!state.map) return;
    const features = state.vertices.map((coordinates) => ({ type: "Feature", geometry: { type: "Point", coordinates }, properties: { vertex: 1 } }));
    const geometry = currentGeometry();
    if (geometry) features.unshift({ type: "Feature", geometry, properties: {} });
    state.map.getSource("draft").setData({ type: "FeatureCollection", features });
    describeGeometry();
  }

  function setMode(mode) {
    state.mode = mode;
    state.vertices = [];
    state.geometry = null;
    for (const [name, button] of Object.entries(modeButtons)) {
      button.classList.toggle("active", name === mode);
      button.setAttribute("aria-pressed", String(name === mode));
    }
    drawDraft();
  }

  for (const mode of ["Point", "LineString", "Polygon"]) {
    modeButtons[mode] = h("button", { type: "button", dataset: { mode }, onclick: () => setMode(mode) });
  }
  const clearButton = h("button", { type: "button", id: "screen-clear", onclick: () => setMode(state.mode), "data-i18n": "screening.clear" }, t("screening.clear"));

  form.sector.addEventListener("change", () => {
    form.unit.value = defaultUnit(form.sector.value);
  });
  form.file.addEventListener("change", async () => {
    const file = form.file.files[0];
    if (!file) return;
    try {
      const data = JSON.parse(await file.text());
      const feature = data.type === "FeatureCollection" ? data.features[0] : data.type === "Feature" ? data : { type: "Feature", geometry: data, properties: {} };
      if (!feature?.geometry?.type) throw new Error(t("screening.badFile"));
      const properties = feature.properties || {};
      if (properties.name) form.name.value = properties.name;
      if (SECTORS.includes(properties.sector)) form.sector.value = properties.sector;
      if (STATUSES.includes(properties.status)) form.status.value = properties.status;
      if (properties.country) form.country.value = String(properties.country).toUpperCase();
      if (properties.capacity != null) form.capacity.value = properties.capacity;
      if (CAPACITY_UNITS.includes(properties.capacity_unit)) form.unit.value = properties.capacity_unit;
      state.geometry = feature.geometry;
      state.vertices = [];
      drawDraft();
      if (state.map) fitTo(state.map, feature.geometry, 8);
      clear(message, t("screening.fileLoaded", { name: file.name }));
    } catch (error) {
      clear(message, errorBox(error));
    }
  });

  const formElement = h("form", { id: "screening-form", novalidate: true },
    h("h2", { "data-i18n": "screening.title" }, t("screening.title")),
    h("p", { class: "step", "data-i18n": "screening.step1" }, t("screening.step1")),
    h("div", { class: "tools" }, Object.values(modeButtons), clearButton),
    geometryNote,
    h("label", { class: "small muted" }, h("span", { "data-i18n": "screening.upload" }, t("screening.upload")), " ", form.file),
    h("p", { class: "step", "data-i18n": "screening.step2" }, t("screening.step2")),
    h("div", { class: "form" },
      h("label", { class: "wide" }, h("span", { "data-i18n": "screening.name" }, t("screening.name")), form.name),
      h("label", { class: "wide" }, h("span", { "data-i18n": "screening.sector" }, t("screening.sector")), form.sector),
      h("label", {}, h("span", { "data-i18n": "screening.capacity" }, t("screening.capacity")), form.capacity),
      h("label", {}, h("span", { "data-i18n": "screening.unit" }, t("screening.unit")), form.unit),
      h("label", {}, h("span", { "data-i18n": "screening.status" }, t("screening.status")), form.status),
      h("label", {}, h("span", { "data-i18n": "screening.country" }, t("screening.country")), form.country)),
    h("div", { class: "actions" }, submit),
    message);
  formElement.addEventListener("submit", (event) => {
    event.preventDefault();
    screen();
  });
  container.append(h("aside", { class: "panel side" }, formElement, resultBox), mapBox);
  labels();
  setMode("Point");

  function project() {
    const geometry = currentGeometry();
    const properties = {
      id: "dashboard-1",
      name: form.name.value.trim() || "Project",
      sector: form.sector.value,
      status: form.status.value,
      country: form.country.value.trim().toUpperCase(),
    };
    const capacity = form.capacity.value.trim();
    if (capacity) {
      properties.capacity = Number(capacity);
      properties.capacity_unit = form.unit.value;
    }
    return { type: "Feature", geometry, properties };
  }

  async function screen() {
    const feature = project();
    if (!feature.geometry) return clear(message, errorBox(new Error(t("screening.needGeometry"))));
    if (!/^[A-Z]{3}$/.test(feature.properties.country)) return clear(message, errorBox(new Error(t("screening.needCountry"))));
    submit.disabled = true;
    clear(message, h("span", { class: "muted" }, t("screening.running")));
    try {
      state.result = await postJSON("/v1/screenings", feature);
      state.feature = feature;
      state.job = null;
      clear(message);
      renderResult();
      resultBox.scrollIntoView({ block: "start" });
      drawReceptors();
    } catch (error) {
      const detail = error instanceof ApiError ? `${error.message} ${error.problem.hint ? `(${error.problem.hint})` : ""}` : error.message;
      clear(message, errorBox(new Error(detail)));
    } finally {
      submit.disabled = false;
    }
  }

  function reasonItem(reason) {
    const effective = reason.effective_class || reason.class;
    return h("li", {}, effective ? [light(effective), " "] : null, pick(reason.text), " ", h("code", { class: "rule" }, reason.rule_id));
  }

  function renderResult() {
    const result = state.result;
    const overall = result.overall?.class || "no_data";
    const hits = result.hits || [];
    const dimensions = DIMENSIONS.filter((name) => result.dimensions?.[name]).map((name) => {
      const dimension = result.dimensions[name];
      const missingEvidence = dimension.missing_evidence || [];
      return h("div", { class: "dimension", dataset: { dimension: name } },
        h("h3", {}, h("span", {}, t(`dimension.${name}`)), light(dimension.class)),
        dimension.class === "no_data" && dimension.known_class
          ? h("p", { class: "small muted" }, t("screening.knownClass", { value: tOr(`class.${dimension.known_class}`, dimension.known_class) })) : null,
        h("ul", { class: "reasons" }, (dimension.reasons || []).map(reasonItem)),
        missingEvidence.length ? h("p", { class: "small", "data-i18n": "screening.missing" }, t("screening.missing")) : null,
        missingEvidence.length ? h("ul", { class: "reasons missing" }, missingEvidence.map(reasonItem)) : null);
    });
    const exclusion = result.exclusion?.excluded
      ? h("div", { class: "error" }, t("screening.excluded"), " ", (result.exclusion.reasons || []).map((reason) => pick(reason.text)).join(" "))
      : null;
    const ghg = result.ghg && result.ghg.value != null
      ? h("p", { class: "small" }, t("screening.ghg", { value: number(result.ghg.value, 0), unit: result.ghg.unit || "t CO2/yr" })) : null;
    const receptorRows = hits.slice(0, 12).map((hit) => h("tr", {},
      h("td", {}, hit.name || hit.receptor_id), h("td", {}, tOr(`role.${hit.receptor_role}`, hit.receptor_role)),
      h("td", {}, hit.intersects ? t("screening.inside") : `${number(hit.distance_m / 1000, 1)} km`)));
    clear(resultBox, h("div", { class: "result" },
      h("div", { class: "result-head" }, h("strong", {}, t("screening.overall")), light(overall, true),
        result.overall?.incomplete ? h("span", { class: "small muted" }, t("screening.incomplete")) : null),
      exclusion, ghg,
      dimensions,
      h("h3", {}, t("screening.receptors", { count: hits.length })),
      hits.length ? h("table", { class: "hits" }, h("thead", {}, h("tr", {}, h("th", {}, t("screening.receptor")), h("th", {}, t("screening.role")), h("th", {}, t("screening.distance")))), h("tbody", {}, receptorRows))
        : h("p", { class: "small muted" }, t("screening.noReceptors")),
      h("p", { class: "small muted" }, t("screening.datasets", { list: (result.datasets || []).join(", ") || "—" })),
      reportPanel()));
  }

  function reportPanel() {
    const keyInput = h("input", { type: "password", id: "screen-api-key", value: apiKey(), placeholder: "gb_…", autocomplete: "off" });
    const status = h("div", { class: "small", id: "report-status" });
    const jsonButton = h("button", { type: "button", id: "download-json", onclick: () => {
      const blob = new Blob([JSON.stringify(state.result, null, 2)], { type: "application/json" });
      const link = h("a", { href: URL.createObjectURL(blob), download: `screening-${state.result.project_id || "project"}.json` });
      document.body.append(link);
      link.click();
      link.remove();
    } }, t("screening.downloadJson"));
    const reportButton = h("button", { type: "button", id: "request-report", onclick: () => requestReport(keyInput.value, status) }, t("screening.requestReport"));
    if (state.job?.done) {
      status.append(h("span", {}, t("screening.reportReady"), " "),
        h("button", { type: "button", onclick: () => download(`/v1/screening-jobs/${state.job.id}/report`, { format: "pdf" }, `screening-${state.job.id}.pdf`).catch((error) => clear(status, errorBox(error))) }, "PDF"), " ",
        h("button", { type: "button", onclick: () => download(`/v1/screening-jobs/${state.job.id}/report`, { format: "html" }, `screening-${state.job.id}.html`).catch((error) => clear(status, errorBox(error))) }, "HTML"));
    }
    return h("div", { class: "result" }, h("h3", {}, t("screening.report")),
      h("p", { class: "small muted" }, t("screening.reportHelp")),
      h("div", { class: "tools" }, jsonButton),
      h("div", { class: "form" }, h("label", { class: "wide" }, h("span", {}, t("screening.apiKey")), keyInput)),
      h("div", { class: "tools" }, reportButton), status);
  }

  async function requestReport(key, status) {
    setApiKey(key);
    if (!key) return clear(status, h("div", { class: "nodata" }, t("screening.needKey")));
    clear(status, t("screening.reportRunning"));
    try {
      const job = await postJSON("/v1/screening-jobs", { projects: [state.feature], formats: ["html", "pdf"], language: lang() });
      const id = job.id || job.job_id;
      for (let attempt = 0; attempt < 240; attempt += 1) {
        const current = await getJSON(`/v1/screening-jobs/${id}`);
        const phase = current.status || current.state;
        if (phase === "failed") throw new Error(current.error || t("screening.reportFailed"));
        if (phase === "succeeded") {
          state.job = { id, done: true };
          renderResult();
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      throw new Error(t("screening.reportFailed"));
    } catch (error) {
      clear(status, error instanceof NotAvailable ? h("div", { class: "nodata" }, t("screening.reportUnavailable")) : errorBox(error));
    }
  }

  async function drawReceptors() {
    const map = state.map;
    if (!map) return;
    const hits = (state.result.hits || []).slice(0, MAX_RECEPTORS_DRAWN);
    const features = await Promise.all(hits.map(async (hit) => {
      const [dataset] = String(hit.dataset).split("@");
      try {
        const feature = await getJSON(`/collections/${encodeURIComponent(dataset)}/items/${hit.feature_index + 1}`);
        return { type: "Feature", geometry: feature.geometry, properties: { name: hit.name || "", role: hit.receptor_role, intersects: hit.intersects ? 1 : 0 } };
      } catch {
        return null;
      }
    }));
    const collection = { type: "FeatureCollection", features: features.filter(Boolean) };
    map.getSource("receptors").setData(collection);
    const draft = currentGeometry();
    fitTo(map, { type: "FeatureCollection", features: [...collection.features.slice(0, 8), { type: "Feature", geometry: draft }] }, 8);
    window.greenbri.receptorsDrawn = collection.features.length;
  }

  createMap(mapBox, { center: [104, 35], zoom: 3 }).then((map) => {
    state.map = map;
    map.addSource("receptors", { type: "geojson", data: EMPTY });
    map.addSource("draft", { type: "geojson", data: EMPTY });
    map.addLayer({ id: "receptors-fill", type: "fill", source: "receptors", filter: ["==", ["geometry-type"], "Polygon"], paint: { "fill-color": "#ef6c00", "fill-opacity": 0.3 } });
    map.addLayer({ id: "receptors-line", type: "line", source: "receptors", filter: ["!=", ["geometry-type"], "Point"], paint: { "line-color": "#ef6c00", "line-width": 1.5 } });
    map.addLayer({ id: "receptors-point", type: "circle", source: "receptors", filter: ["==", ["geometry-type"], "Point"], paint: { "circle-color": "#ef6c00", "circle-radius": 5, "circle-stroke-color": "#fff", "circle-stroke-width": 1.5 } });
    map.addLayer({ id: "draft-fill", type: "fill", source: "draft", filter: ["==", ["geometry-type"], "Polygon"], paint: { "fill-color": "#1565c0", "fill-opacity": 0.25 } });
    map.addLayer({ id: "draft-line", type: "line", source: "draft", filter: ["!=", ["geometry-type"], "Point"], paint: { "line-color": "#1565c0", "line-width": 2.5 } });
    map.addLayer({ id: "draft-point", type: "circle", source: "draft", filter: ["==", ["geometry-type"], "Point"], paint: { "circle-color": "#1565c0", "circle-radius": ["case", ["has", "vertex"], 4, 7], "circle-stroke-color": "#fff", "circle-stroke-width": 2 } });
    map.getCanvas().style.cursor = "crosshair";
    map.on("click", (event) => {
      const found = countryAt(map, event.point);
      if (found?.iso3 && found.iso3 !== "-99") {
        state.country = found;
        if (!form.country.value || state.vertices.length === 0) form.country.value = found.iso3;
      }
      state.geometry = null;
      const coordinates = [Number(event.lngLat.lng.toFixed(6)), Number(event.lngLat.lat.toFixed(6))];
      state.vertices = state.mode === "Point" ? [coordinates] : [...state.vertices, coordinates];
      drawDraft();
    });
    map.on("mousemove", (event) => {
      const hit = map.queryRenderedFeatures(event.point, { layers: ["receptors-point", "receptors-fill", "receptors-line"] })[0];
      map.getCanvas().title = hit ? hit.properties.name : "";
    });
    drawDraft();
  }).catch((error) => container.append(errorBox(error)));

  return {
    relabel: labels,
    unmount() {
      state.map?.remove();
    },
  };
}
