// Calls to the greenbri API served beside the dashboard (the dashboard lives at <root>/dashboard/).
export const ROOT = new URL("../", document.baseURI);

export function url(path, params = {}) {
  const address = new URL(path.replace(/^\//, ""), ROOT);
  for (const [name, value] of Object.entries(params)) {
    if (value == null || value === "") continue;
    for (const item of Array.isArray(value) ? value : [value]) address.searchParams.append(name, item);
  }
  return address.toString();
}

/** The endpoint or resource is not there (404): pages show "NO DATA / 无数据". */
export class NotAvailable extends Error {
  constructor(address, status) {
    super(`${address}: ${status}`);
    this.status = status;
  }
}

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

function headers(extra = {}) {
  const result = { Accept: "application/json", ...extra };
  const key = apiKey();
  if (key) result["X-API-Key"] = key;
  return result;
}

async function answer(response, address) {
  if (response.status === 404 || response.status === 405 || response.status === 501) {
    throw new NotAvailable(address, response.status);
  }
  const type = response.headers.get("content-type") || "";
  const body = type.includes("json") ? await response.json().catch(() => null) : null;
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

export async function getJSON(path, params = {}, options = {}) {
  const address = url(path, params);
  return answer(await fetch(address, { headers: headers(), signal: options.signal }), address);
}

export async function postJSON(path, body, params = {}) {
  const address = url(path, params);
  const response = await fetch(address, {
    method: "POST",
    headers: headers({ "Content-Type": "application/json" }),
    body: JSON.stringify(body),
  });
  return answer(response, address);
}

/** A file from the API as a download (with the API key, which a plain link cannot send). */
export async function download(path, params, fileName) {
  const address = url(path, params);
  const response = await fetch(address, { headers: headers({ Accept: "*/*" }) });
  if (!response.ok) await answer(response, address);
  const link = document.createElement("a");
  link.href = URL.createObjectURL(await response.blob());
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}

const KEY_NAME = "greenbri.apiKey";

/** An API key typed by the user, kept for the browser session only. */
export function apiKey() {
  try {
    return sessionStorage.getItem(KEY_NAME) || "";
  } catch {
    return "";
  }
}

export function setApiKey(value) {
  try {
    if (value) sessionStorage.setItem(KEY_NAME, value.trim());
    else sessionStorage.removeItem(KEY_NAME);
  } catch {
    // storage disabled
  }
}
