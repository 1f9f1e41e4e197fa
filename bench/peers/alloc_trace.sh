#!/bin/sh
# Compiles bench/peers/alloc_trace.c (a JVMTI agent) into bench/target/libvgalloctrace.so and
# prints the JVM flags that make StepAllocProbe list every allocation site of N traced steps:
#   java $(bench/peers/alloc_trace.sh) --add-modules jdk.incubator.vector -cp ... \
#        io.vecgrad.bench.train.StepAllocProbe mlp784-b256-sgd 3000 2000 100
set -e
here=$(cd "$(dirname "$0")" && pwd)
jdk=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
out="$here/../target/libvgalloctrace.so"
mkdir -p "$here/../target"
gcc -O2 -shared -fPIC -I"$jdk/include" -I"$jdk/include/linux" -o "$out" "$here/alloc_trace.c" >&2
echo "-agentpath:$out -Dvecgrad.allocTrace=$out"
