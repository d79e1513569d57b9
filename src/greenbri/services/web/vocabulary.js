// The screening vocabulary (docs/methodology/screening.md, src/greenbri/core/screening/vocabulary.py):
// codes are sent to the API; labels come from i18n/{en,zh}.json ("sector.<code>", "status.<code>").
export const SECTORS = [
  "solar_power", "wind_power", "hydro_power", "coal_power", "gas_power", "oil_power", "nuclear_power",
  "biomass_power", "geothermal_power", "transmission_line", "railway", "road", "bridge", "tunnel", "port",
  "airport", "pipeline", "mining_coal", "mining_copper", "mining_iron", "mining_gold", "mining_bauxite",
  "mining_nickel", "mining_lithium", "mining_other", "metal_smelting", "petrochemical", "oil_refinery",
  "cement", "industrial_park", "water_supply", "wastewater", "waste_to_energy", "agriculture", "forestry",
  "telecom", "building", "other",
];
export const STATUSES = ["planned", "under_construction", "operating", "decommissioned"];
export const CAPACITY_UNITS = ["MW", "km", "t/yr", "m3/d", "ha", "TEU/yr", "passengers/yr", "bbl/d"];
/** The unit a sector's capacity is usually given in (a default the user can change). */
export function defaultUnit(sector) {
  if (/_power$|^waste_to_energy$/.test(sector)) return "MW";
  if (/^(transmission_line|railway|road|pipeline|bridge|tunnel)$/.test(sector)) return "km";
  if (/^(water_supply|wastewater)$/.test(sector)) return "m3/d";
  if (/^(agriculture|forestry|industrial_park)$/.test(sector)) return "ha";
  if (sector === "port") return "TEU/yr";
  if (sector === "airport") return "passengers/yr";
  if (sector === "oil_refinery") return "bbl/d";
  return "t/yr";
}
export const DIMENSIONS = ["climate", "pollution", "biodiversity"];
