#!/usr/bin/env bash
# Set up greenbri with its development tools and run the whole test suite:
# lint (ruff), types (mypy, strict for core), the import-layer contract (import-linter), then pytest
# twice: on the embedded DuckDB + GeoParquet store, and again on the PostGIS store (a throw-away
# PostgreSQL + PostGIS server the tests start on 127.0.0.1). Arguments go to both pytest runs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-packages.sh
bash scripts/setup.sh --dev
echo "== ruff"
.venv/bin/ruff check src tests
.venv/bin/ruff format --check src tests
echo "== mypy"
.venv/bin/mypy
echo "== import-linter"
.venv/bin/lint-imports
echo "== pytest (embedded store)"
.venv/bin/pytest "$@"
echo "== pytest (PostGIS store)"
.venv/bin/pytest --store postgis "$@"
