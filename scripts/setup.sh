#!/usr/bin/env bash
# Create .venv (Python 3.11) and install greenbri into it from the package registries.
# Usage: scripts/setup.sh [--dev]
set -euo pipefail
cd "$(dirname "$0")/.."
python_bin="${PYTHON:-$(command -v python3.11 || command -v python3)}"
if ! "$python_bin" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
    echo "greenbri needs Python 3.11; $python_bin is $("$python_bin" --version). Set PYTHON=/path/to/python3.11." >&2
    exit 1
fi
if [ ! -x .venv/bin/python ]; then
    "$python_bin" -m venv .venv
fi
if [ ! -x .venv/bin/uv ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check "uv==0.13.9"
fi
extras=""
if [ "${1:-}" = "--dev" ]; then extras="[dev]"; fi
.venv/bin/uv pip install --quiet --python .venv/bin/python -e ".${extras}"
bash scripts/web-assets.sh
