#!/usr/bin/env bash
# Set up greenbri and run the platform's main job on the embedded default store.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/greenbri start "$@"
