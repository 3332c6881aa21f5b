#!/usr/bin/env bash
# Create (or refresh) the peers' venv for bench/validation_throughput.py:
# .build/bench-peers-venv with pandera, Great Expectations and pyarrow from
# bench/peers/requirements.txt. Reruns only when the requirements file changed.
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=.build/bench-peers-venv
STAMP="$VENV/.installed"
REQUIREMENTS=bench/peers/requirements.txt
if [[ -f "$STAMP" && "$STAMP" -nt "$REQUIREMENTS" ]]; then
    exit 0
fi
"${PYTHON:-python3}" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet -r "$REQUIREMENTS"
touch "$STAMP"
echo "peers' venv ready: $VENV"
