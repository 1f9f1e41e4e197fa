#!/usr/bin/env bash
# Installs the PyTorch peer of `./vecgrad bench peers`: Debian's python3-torch for /usr/bin/python3.
# Called by BenchMain peers when `/usr/bin/python3 -c 'import torch'` fails. Tries the install
# first and runs apt-get update only when that fails (stale or missing package lists).
# Exits non-zero with a message when it cannot; the peers run then continues without PyTorch.
set -u

if /usr/bin/python3 -c 'import torch' >/dev/null 2>&1; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-torch: no apt-get; install PyTorch for /usr/bin/python3 yourself" >&2
    exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
        echo "install-torch: not root and no password-less sudo; cannot apt-get install python3-torch" >&2
        exit 1
    fi
fi
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y -q python3-torch >/dev/null 2>&1; then
    echo "install-torch: apt-get update ..."
    $SUDO apt-get update -q >/dev/null 2>&1 || echo "install-torch: WARNING: apt-get update failed" >&2
    if ! $SUDO apt-get install -y -q python3-torch; then
        echo "install-torch: could not install python3-torch" >&2
        exit 1
    fi
fi
/usr/bin/python3 -c 'import torch' || { echo "install-torch: python3-torch installed but 'import torch' fails" >&2; exit 1; }
echo "install-torch: installed python3-torch"
