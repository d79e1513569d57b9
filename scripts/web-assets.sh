#!/usr/bin/env bash
# Vendor the dashboard's browser libraries (no CDN): install the pinned npm packages of web/package.json
# (exact versions from web/package-lock.json) and copy MapLibre GL JS into src/greenbri/services/web/vendor/,
# which `greenbri serve` serves at /dashboard/vendor/. Needs node and npm; skips with a note without them.
set -euo pipefail
cd "$(dirname "$0")/.."
target=src/greenbri/services/web/vendor
if ! command -v npm >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm >/dev/null 2>&1 ||
        { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm >/dev/null; } || true
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "npm is missing: the web dashboard's map library is not vendored (install nodejs and npm, then run $0)." >&2
    exit 0
fi
(cd web && npm ci --omit=dev --no-audit --no-fund --loglevel=error)
mkdir -p "$target"
for file in maplibre-gl.js maplibre-gl.css LICENSE.txt; do
    cp "web/node_modules/maplibre-gl/dist/$file" "$target/${file/LICENSE.txt/maplibre-gl.LICENSE.txt}"
done
echo "web dashboard assets in $target: $(ls "$target" | tr '\n' ' ')"
