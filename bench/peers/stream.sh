#!/bin/sh
# Compiles bench/peers/stream.c (gcc, this machine's ISA) into bench/target and runs it.
# Usage: bench/peers/stream.sh [reps] [n...]
set -e
here=$(cd "$(dirname "$0")" && pwd)
out="$here/../target/stream-probe"
mkdir -p "$here/../target"
gcc -O3 -march=native -ffast-math -fno-tree-loop-distribute-patterns -o "$out" "$here/stream.c"
exec "$out" "$@"
