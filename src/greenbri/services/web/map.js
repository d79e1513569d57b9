// MapLibre maps on the API's own vector tiles: the bundled country boundaries are the base map
// (no external tiles, no glyphs: labels are shown in popups and panels, not on the map).
import { url } from "./api.js";
import { h } from "./dom.js";
import { t } from "./i18n.js";

export const COLOURS = {
  boundaries: "#9e9e9e",
  water: "#1e88e5",
  wetlands: "#00897b",
  protected_areas: "#2e7d32",
  biodiversity: "#558b2f",
  settlements: "#ef6c00",
  air: "#8e24aa",
  heritage: "#c62828",
  energy: "#6d4c41",
  infrastructure: "#546e7a",
};
const SPARE = ["#3949ab", "#00838f", "#ad1457", "#f9a825", "#5d4037", "#7cb342"];

export function colourOf(record, index = 0) {
  return COLOURS[record.theme] || SPARE[index % SPARE.length];
}

/** Is MapLibre there (scripts/web-assets.sh vendors it)? */
export function mapLibraryMissing() {
  if (window.maplibregl) return null;
  return h("div", { class: "error", role: "alert" }, t("map.libraryMissing"));
}

export function tileSource(id, maxzoom = 8, attribution = undefined, tileSize = 512) {
  return {
    type: "vector",
    tileSize,
    tiles: [`${url(`/tiles/${encodeURIComponent(id)}/`)}{z}/{x}/{y}.mvt`],
    minzoom: 0,
    maxzoom,
    attribution,
  };
}

function baseStyle() {
  return {
    version: 8,
    sources: {
      // the base map: the catalog's country boundaries. The server does not simplify geometries by
      // zoom, so few big tiles (1024 px: one z0 tile for the world view) load fastest; overzoomed past z4.
      countries: tileSource("countries", 4, "Natural Earth"),
    },
    layers: [
      { id: "background", type: "background", paint: { "background-color": "#dfeaf2" } },
      {
        id: "countries-fill",
        type: "fill",
        source: "countries",
        "source-layer": "countries",
        paint: { "fill-color": "#f7f6f2", "fill-opacity": 1 },
      },
      {
        id: "countries-line",
        type: "line",
        source: "countries",
        "source-layer": "countries",
        paint: { "line-color": "#9a9a9a", "line-width": 0.6 },
      },
    ],
  };
}

/** A map in `container`, resolving when its style is loaded. */
export function createMap(container, options = {}) {
  const map = new window.maplibregl.Map({
    container,
    style: baseStyle(),
    center: options.center || [75, 28],
    zoom: options.zoom ?? 1.6,
    minZoom: 0,
    maxZoom: 14,
    attributionControl: { compact: false },
    dragRotate: false,
    pitchWithRotate: false,
    fadeDuration: 0,
    preserveDrawingBuffer: true,
  });
  map.touchZoomRotate.disableRotation();
  map.on("error", (event) => console.warn("map:", event.error?.message || event.error, event.sourceId || ""));
  map.addControl(new window.maplibregl.NavigationControl({ showCompass: false }), "top-right");
  map.addControl(new window.maplibregl.ScaleControl({ unit: "metric" }), "bottom-left");
  window.greenbri = window.greenbri || {};
  window.greenbri.map = map;
  return new Promise((resolve) => map.on("load", () => resolve(map)));
}

/** The country (iso_a3, names) under a screen point, from the rendered base map. */
export function countryAt(map, point) {
  const features = map.queryRenderedFeatures(point, { layers: ["countries-fill"] });
  const properties = features[0]?.properties;
  if (!properties) return null;
  return {
    iso3: properties.iso_a3 || properties.part_of_iso_a3 || "",
    name: { en: properties.name_en || "", zh: properties.name_zh || properties.name_en || "" },
  };
}

/** Three layers (fill, line, circle) of one vector-tile source, each showing its geometry type. */
export function addCatalogLayer(map, id, colour, visible = true, attribution = undefined, before = undefined) {
  if (!map.getSource(id)) map.addSource(id, tileSource(id, 10, attribution));
  const visibility = visible ? "visible" : "none";
  const common = { source: id, "source-layer": id, layout: { visibility } };
  map.addLayer({ ...common, id: `${id}:fill`, type: "fill", filter: ["==", ["geometry-type"], "Polygon"], paint: { "fill-color": colour, "fill-opacity": 0.35, "fill-outline-color": colour } }, before);
  map.addLayer({ ...common, id: `${id}:line`, type: "line", filter: ["==", ["geometry-type"], "LineString"], paint: { "line-color": colour, "line-width": 1.4 } }, before);
  map.addLayer({ ...common, id: `${id}:circle`, type: "circle", filter: ["==", ["geometry-type"], "Point"], paint: { "circle-color": colour, "circle-radius": ["interpolate", ["linear"], ["zoom"], 1, 1.6, 6, 3.5, 10, 6], "circle-stroke-color": "#ffffff", "circle-stroke-width": 0.5 } }, before);
  return [`${id}:fill`, `${id}:line`, `${id}:circle`];
}

export function setLayerVisible(map, id, visible) {
  for (const suffix of ["fill", "line", "circle"]) {
    if (map.getLayer(`${id}:${suffix}`)) map.setLayoutProperty(`${id}:${suffix}`, "visibility", visible ? "visible" : "none");
  }
}

/** Fit the map to a GeoJSON geometry or feature collection. */
export function fitTo(map, geojson, maxZoom = 9) {
  const bounds = new window.maplibregl.LngLatBounds();
  const visit = (coordinates) => {
    if (typeof coordinates[0] === "number") bounds.extend(coordinates);
    else coordinates.forEach(visit);
  };
  const geometries = geojson.type === "FeatureCollection" ? geojson.features.map((f) => f.geometry) : [geojson.geometry || geojson];
  for (const geometry of geometries) if (geometry?.coordinates) visit(geometry.coordinates);
  if (!bounds.isEmpty()) map.fitBounds(bounds, { padding: 60, maxZoom, duration: 0 });
}

/** A popup listing a feature's properties (names first). */
export function propertiesTable(properties, titleText) {
  const rows = Object.entries(properties || {}).filter(([, value]) => value !== "" && value != null).slice(0, 14);
  return h("div", { class: "popup" }, titleText ? h("strong", {}, titleText) : null,
    h("table", {}, rows.map(([name, value]) => h("tr", {}, h("th", {}, name), h("td", {}, String(value))))));
}
