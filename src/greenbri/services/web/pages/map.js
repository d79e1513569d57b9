// The catalog map: the country boundaries as the base, every other vector layer of the catalog in a
// layer list with its legend swatch, licence and attribution.
import { getJSON } from "../api.js";
import { clear, errorBox, h } from "../dom.js";
import { number, pick, t } from "../i18n.js";
import { addCatalogLayer, colourOf, createMap, mapLibraryMissing, propertiesTable, setLayerVisible } from "../map.js";

/** Layers drawn at start: small ones; big point layers (settlements) wait for the user. */
const DRAW_AT_START = 5000;

function swatch(kind, colour) {
  const style = kind === "Point" ? { background: colour, borderRadius: "50%", width: "10px", height: "10px" }
    : kind === "LineString" ? { background: colour, height: "3px" }
    : { background: `${colour}59`, border: `1.5px solid ${colour}` };
  return h("span", { class: `swatch swatch-${(kind || "any").toLowerCase()}`, style, "aria-hidden": "true" });
}

async function geometryKind(id) {
  try {
    const page = await getJSON(`/collections/${encodeURIComponent(id)}/items`, { limit: 1 });
    const type = page.features?.[0]?.geometry?.type || "";
    return type.replace(/^Multi/, "") || "Polygon";
  } catch {
    return "Polygon";
  }
}

export function mount(container) {
  const missing = mapLibraryMissing();
  if (missing) {
    container.append(missing);
    return {};
  }
  const list = h("div", { class: "layer-list" });
  const status = h("p", { class: "muted small" });
  const side = h("aside", { class: "panel side" },
    h("h2", { "data-i18n": "map.layers" }, t("map.layers")),
    h("p", { class: "muted small", "data-i18n": "map.layersHelp" }, t("map.layersHelp")),
    list, status);
  const mapBox = h("div", { class: "map", id: "catalog-map" });
  container.append(side, mapBox);
  const state = { layers: [], map: null, popup: null };

  function renderList() {
    clear(list);
    const base = state.layers.find((layer) => layer.id === "countries");
    for (const layer of state.layers) {
      const isBase = layer === base;
      const box = h("input", { type: "checkbox", id: `layer-${layer.id}`, checked: layer.visible, disabled: isBase || !state.map });
      box.addEventListener("change", () => {
        layer.visible = box.checked;
        if (!state.map.getSource(layer.id)) addCatalogLayer(state.map, layer.id, layer.colour, true, layer.attribution);
        setLayerVisible(state.map, layer.id, layer.visible);
      });
      list.append(h("div", { class: "layer", dataset: { layer: layer.id } },
        h("label", { for: `layer-${layer.id}` }, box, swatch(layer.kind, isBase ? "#9a9a9a" : layer.colour),
          h("span", { class: "layer-title" }, pick(layer.titles)), isBase ? h("span", { class: "tag" }, t("map.baseMap")) : null),
        h("div", { class: "layer-meta small muted" },
          `${number(layer.count, 0)} ${t("map.features")}`, layer.licence ? ` · ${layer.licence}` : "",
          layer.attribution ? h("div", { class: "attribution" }, `${t("map.attribution")}: ${layer.attribution}`) : null)));
    }
    if (!state.layers.length) list.append(h("p", { class: "muted" }, t("map.noLayers")));
  }

  async function load() {
    const [collections, datasets] = await Promise.all([
      getJSON("/collections"),
      getJSON("/v1/datasets", { kind: "vector_layer", limit: 100 }).catch(() => ({ datasets: [] })),
    ]);
    const records = new Map((datasets.datasets || []).map((record) => [record.id, record]));
    const rows = (collections.collections || []).map((collection, index) => {
      const record = records.get(collection.id) || {};
      return {
        id: collection.id,
        titles: collection.titles || record.title || { en: collection.title, zh: collection.title },
        attribution: collection.attribution || "",
        licence: typeof record.licence === "string" ? record.licence : record.licence?.name || "",
        count: collection.featureCount ?? record.feature_count,
        colour: colourOf(record, index),
        visible: collection.id === "countries" || (collection.featureCount ?? 0) <= DRAW_AT_START,
        kind: collection.id === "countries" ? "Polygon" : null,
      };
    });
    rows.sort((a, b) => (a.id === "countries" ? -1 : b.id === "countries" ? 1 : pick(a.titles).localeCompare(pick(b.titles))));
    state.layers = rows;
    renderList();
    await Promise.all(rows.filter((row) => !row.kind).map(async (row) => {
      row.kind = await geometryKind(row.id);
    }));
    renderList();
  }

  const ready = Promise.all([createMap(mapBox), load().catch((error) => list.append(errorBox(error)))]).then(([map]) => {
    state.map = map;
    for (const layer of state.layers) {
      if (layer.id !== "countries" && layer.visible) addCatalogLayer(map, layer.id, layer.colour, true, layer.attribution);
    }
    renderList();
    map.on("click", (event) => {
      const layers = map.getStyle().layers.map((layer) => layer.id).filter((id) => id.includes(":") || id === "countries-fill");
      const feature = map.queryRenderedFeatures(event.point, { layers })[0];
      if (!feature) return;
      const layer = state.layers.find((row) => row.id === feature.source);
      const properties = feature.properties || {};
      const title = pick({ en: properties.name_en || properties.name, zh: properties.name_zh || properties.name_en || properties.name });
      state.popup?.remove();
      state.popup = new window.maplibregl.Popup({ maxWidth: "320px" })
        .setLngLat(event.lngLat)
        .setDOMContent(h("div", {}, h("div", { class: "small muted" }, layer ? pick(layer.titles) : ""), propertiesTable(properties, title)))
        .addTo(map);
    });
    map.on("idle", () => {
      status.textContent = t("map.rendered", { count: number(map.queryRenderedFeatures().length, 0) });
    });
  });
  ready.catch((error) => container.append(errorBox(error)));

  return {
    relabel() {
      renderList();
      if (state.map) status.textContent = t("map.rendered", { count: number(state.map.queryRenderedFeatures().length, 0) });
    },
    unmount() {
      state.map?.remove();
    },
  };
}
