#!/usr/bin/env bash
# Creates the second PyTorch peer of `./vecgrad bench peers`: PyTorch 2.13 (CPU wheel) in a
# virtual environment under bench/.venv (git-ignored), never system-wide. Called by BenchMain
# peers when bench/.venv/bin/python cannot import torch. Needs python3.11 (the wheel is cp311)
# and pip's configured index / find-links. Exits non-zero with a message when it cannot; the
# peers run then continues with the Debian PyTorch 1.13 only.
set -u
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
VENV="$ROOT/bench/.venv"
VERSION=${VECGRAD_TORCH2_VERSION:-2.13.0}

if "$VENV/bin/python" -c 'import torch' >/dev/null 2>&1; then
    exit 0
fi
PY=$(command -v python3.11 || true)
[ -n "$PY" ] || { echo "install-torch2: python3.11 not found (the torch $VERSION CPU wheel is cp311)" >&2; exit 1; }
"$PY" -m venv "$VENV" || { echo "install-torch2: python3.11 -m venv $VENV failed" >&2; exit 1; }
# Local wheels first (no network wait), then the configured index with a short timeout; an
# offline machine may serve the torch wheel but not its pure-Python dependencies (jinja2, sympy,
# ...), none of which the peer scripts import: last, torch without its dependencies.
if ! "$VENV/bin/pip" install -q --no-index "torch==$VERSION" 2>/dev/null \
   && ! "$VENV/bin/pip" install -q --timeout 15 --retries 1 "torch==$VERSION"; then
    echo "install-torch2: full install failed; installing torch==$VERSION without its dependencies" >&2
    if ! "$VENV/bin/pip" install -q --no-index --no-deps "torch==$VERSION" \
       && ! "$VENV/bin/pip" install -q --no-deps "torch==$VERSION"; then
        echo "install-torch2: pip install torch==$VERSION into $VENV failed" >&2
        exit 1
    fi
    for dep in numpy typing_extensions filelock; do
        "$VENV/bin/pip" install -q --timeout 15 --retries 1 "$dep" >/dev/null 2>&1 || true
    done
fi
"$VENV/bin/python" -c 'import torch; print("install-torch2: installed torch", torch.__version__, "in bench/.venv")'
