#!/usr/bin/env bash
# Set up greenbri with its development tools and run the whole test suite:
# lint (ruff), types (mypy, strict for core), the import-layer contract (import-linter), pytest.
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
echo "== pytest"
.venv/bin/pytest "$@"
