#!/usr/bin/env bash
# Set up greenbri and run the platform's main job on the embedded default store: load the bundled
# reference layers and serve the dashboard, REST API and OGC API - Features (prints the address).
# Options go to `greenbri serve` (e.g. --port 8080).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/greenbri serve "$@"
