#!/usr/bin/env bash
# Installs the native peer of the GEMM benchmarks: OpenBLAS (pthread build), which
# dev.ludovic.netlib's JNIBLAS loads as libopenblas.so.0 for GemmBench impl=openblas.
# Everything else the benchmarks compare against (EJML, netlib's Java BLAS) comes from Maven.
# Without OpenBLAS the openblas rows are skipped with a message; the rest of the suite runs.
# Idempotent; never fails the caller: exits 0 with a warning when it cannot install.
set -u

if ldconfig -p 2>/dev/null | grep -q 'libopenblas\.so\.0'; then
    echo "install-peers: OpenBLAS present ($(ldconfig -p | grep -m1 'libopenblas\.so\.0' | sed 's/.*=> //'))"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-peers: WARNING: no apt-get; install OpenBLAS (libopenblas.so.0) yourself, openblas rows will be skipped" >&2
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
        echo "install-peers: WARNING: not root and no sudo; cannot install libopenblas0-pthread, openblas rows will be skipped" >&2
        exit 0
    fi
fi
export DEBIAN_FRONTEND=noninteractive
# The package lists may be missing or stale on a fresh machine: try once without updating, then update.
if ! $SUDO apt-get install -y -q libopenblas0-pthread >/dev/null 2>&1; then
    echo "install-peers: apt-get update ..."
    $SUDO apt-get update -q >/dev/null 2>&1 || echo "install-peers: WARNING: apt-get update failed" >&2
    if ! $SUDO apt-get install -y -q libopenblas0-pthread; then
        echo "install-peers: WARNING: could not install libopenblas0-pthread; GemmBench impl=openblas will be skipped" >&2
        exit 0
    fi
fi
echo "install-peers: installed libopenblas0-pthread"
