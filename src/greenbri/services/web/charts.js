// Small inline-SVG charts (no chart library): a line chart with optional horizontal limit lines.
const NS = "http://www.w3.org/2000/svg";

function svg(tag, attributes = {}, text = null) {
  const element = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attributes)) if (value != null) element.setAttribute(name, value);
  if (text != null) element.textContent = text;
  return element;
}

function niceTicks(low, high, count = 4) {
  if (low === high) return [low];
  const raw = (high - low) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((f) => f * power).find((s) => s >= raw) || raw;
  const ticks = [];
  for (let value = Math.ceil(low / step) * step; value <= high + step * 1e-9; value += step) ticks.push(Number(value.toPrecision(12)));
  return ticks;
}

function shortNumber(value) {
  const magnitude = Math.abs(value);
  if (magnitude >= 1e9) return `${(value / 1e9).toPrecision(3)}G`;
  if (magnitude >= 1e6) return `${(value / 1e6).toPrecision(3)}M`;
  if (magnitude >= 1e4) return `${(value / 1e3).toPrecision(3)}k`;
  return String(Number(value.toPrecision(4)));
}

/**
 * points: [[x, y], ...] with x numbers (years) or dates (ISO strings); limits: [{value, label, colour}].
 * Returns an <svg> sized by CSS (viewBox width x height).
 */
export function lineChart(points, { width = 320, height = 140, limits = [], title = "", unit = "", colour = "#2e7d32", dates = false } = {}) {
  const margin = { top: 10, right: 10, bottom: 20, left: 42 };
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, class: "chart", role: "img", "aria-label": title });
  if (title) chart.append(svg("title", {}, title));
  const xs = points.map(([x]) => (dates ? Date.parse(x) : Number(x)));
  const ys = points.map(([, y]) => Number(y)).filter((y) => Number.isFinite(y));
  if (!xs.length || !ys.length) return chart;
  const limitValues = limits.map((limit) => limit.value);
  let low = Math.min(...ys, ...limitValues);
  let high = Math.max(...ys, ...limitValues);
  if (low > 0 && low / (high || 1) > 0.0 && low < high * 0.5) low = 0;
  if (low === high) {
    low -= 1;
    high += 1;
  }
  const pad = (high - low) * 0.08;
  high += pad;
  if (low !== 0) low -= pad;
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs);
  const sx = (x) => margin.left + (x1 === x0 ? (width - margin.left - margin.right) / 2 : ((x - x0) / (x1 - x0)) * (width - margin.left - margin.right));
  const sy = (y) => height - margin.bottom - ((y - low) / (high - low)) * (height - margin.top - margin.bottom);
  for (const tick of niceTicks(low, high)) {
    chart.append(svg("line", { x1: margin.left, x2: width - margin.right, y1: sy(tick), y2: sy(tick), class: "grid" }));
    chart.append(svg("text", { x: margin.left - 4, y: sy(tick) + 3, "text-anchor": "end", class: "tick" }, shortNumber(tick)));
  }
  const first = points[0][0];
  const last = points[points.length - 1][0];
  chart.append(svg("text", { x: margin.left, y: height - 5, class: "tick" }, String(first).slice(0, 10)));
  chart.append(svg("text", { x: width - margin.right, y: height - 5, "text-anchor": "end", class: "tick" }, String(last).slice(0, 10)));
  if (unit) chart.append(svg("text", { x: margin.left + 4, y: margin.top + 8, class: "unit" }, unit));
  for (const limit of limits) {
    const y = sy(limit.value);
    chart.append(svg("line", { x1: margin.left, x2: width - margin.right, y1: y, y2: y, class: "limit", stroke: limit.colour || "#c62828" }));
    chart.append(svg("text", { x: width - margin.right - 2, y: y - 3, "text-anchor": "end", class: "limit-label", fill: limit.colour || "#c62828" }, limit.label));
  }
  const path = points
    .map(([x, y], index) => [dates ? Date.parse(x) : Number(x), Number(y), index])
    .filter(([, y]) => Number.isFinite(y))
    .map(([x, y], index) => `${index ? "L" : "M"}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`)
    .join("");
  chart.append(svg("path", { d: path, class: "series", stroke: colour }));
  if (points.length <= 40) {
    for (const [x, y] of points) {
      if (!Number.isFinite(Number(y))) continue;
      chart.append(svg("circle", { cx: sx(dates ? Date.parse(x) : Number(x)), cy: sy(Number(y)), r: 2, fill: colour }));
    }
  }
  return chart;
}
