#!/usr/bin/env bash
# Debian packages greenbri needs beyond Python: Pango (WeasyPrint's PDF reports), a CJK font so
# Chinese text renders in reports, and PostgreSQL 15 with PostGIS 3 for the PostGIS store (its tests
# start a throw-away cluster of their own as the 'postgres' user the package creates, so no default
# cluster is created), and GDAL's command-line tools (ogrinfo: the API tests read our OGC API with
# GDAL's OAPIF driver, as QGIS does). Installs what is missing when run as root; otherwise prints the command to run.
set -euo pipefail
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fonts-wqy-zenhei poppler-utils
    postgresql-15 postgresql-15-postgis-3 gdal-bin chromium)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "greenbri needs these Debian packages: ${missing[*]}" >&2
    echo "Install them with: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
if [ ! -e /etc/postgresql-common/createcluster.d/greenbri.conf ]; then
    mkdir -p /etc/postgresql-common/createcluster.d
    echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.d/greenbri.conf
fi
apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q "${missing[@]}" >/dev/null; }
