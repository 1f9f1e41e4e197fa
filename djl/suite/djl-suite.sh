#!/usr/bin/env bash
# Builds DJL's integration suite (integration/ + testing/ of a DJL source checkout, tag v0.36.0)
# with javac against Maven Central jars and runs it offline on the VecGrad engine.
#   djl/suite/djl-suite.sh DJL_CHECKOUT [IntegrationTest args, e.g. -c ndarray.NDArrayCreationOpTest]
# Called by `./vecgrad djl-suite`, which exports JAVA_HOME and builds the djl module first.
# Nothing from the checkout is copied into this repository: sources compile into target/djl-suite.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
die() { echo "djl-suite: $*" >&2; exit 2; }

[ $# -ge 1 ] || die "usage: ./vecgrad djl-suite DJL_CHECKOUT [suite args]"
DJL=$(cd "$1" && pwd) || die "no such directory: $1"
shift
for d in integration/src/main/java testing/src/main/java; do
  [ -d "$DJL/$d" ] || die "$DJL does not look like a DJL checkout (no $d); clone https://github.com/deepjavalibrary/djl and check out v0.36.0"
done
JAVA="$JAVA_HOME/bin/java"
JAVAC="$JAVA_HOME/bin/javac"
OUT="$ROOT/target/djl-suite"
mkdir -p "$OUT"

# 1. the suite's third-party jars (DJL api, basicdataset, model-zoo, testng, commons-cli, log4j)
if [ ! -f "$OUT/lib/.complete" ]; then
  echo "djl-suite: resolving the suite's dependencies (djl/suite/pom.xml)..." >&2
  rm -rf "$OUT/lib"
  mvn -B -q -ntp -f "$ROOT/djl/suite/pom.xml" dependency:copy-dependencies \
      -DoutputDirectory="$OUT/lib" >"$OUT/deps.log" 2>&1 || { tail -n 20 "$OUT/deps.log" >&2; die "dependency resolution failed"; }
  touch "$OUT/lib/.complete"
fi

# 2. compile testing/ and integration/ from the checkout (DJL builds them with --release 11)
STAMP="$OUT/classes/.source"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$DJL" ] \
    || [ -n "$(find "$DJL/integration/src/main" "$DJL/testing/src/main" -newer "$STAMP" -print -quit)" ]; then
  echo "djl-suite: compiling the suite from $DJL ..." >&2
  rm -rf "$OUT/classes"
  mkdir -p "$OUT/classes"
  find "$DJL/testing/src/main/java" "$DJL/integration/src/main/java" -name '*.java' >"$OUT/sources.txt"
  "$JAVAC" --release 11 -nowarn -proc:none -encoding UTF-8 -d "$OUT/classes" -cp "$OUT/lib/*" @"$OUT/sources.txt" \
      >"$OUT/javac.log" 2>&1 || { grep -E 'error' "$OUT/javac.log" | head -n 20 >&2; die "javac failed (log: $OUT/javac.log)"; }
  cp -r "$DJL/integration/src/main/resources/." "$OUT/classes/"
  echo "$DJL" >"$STAMP"
fi

# 3. run offline on VecGrad (the engine's jar and runtime classpath come from the djl module build)
JAR=$(ls "$ROOT/djl/target/vecgrad-djl-"*.jar 2>/dev/null | grep -vE -- '-(tests|sources|javadoc)\.jar$' | head -n 1)
[ -n "$JAR" ] || die "the djl module is not built"
CP="$OUT/classes:$OUT/lib/*:$JAR:$(cat "$ROOT/djl/target/classpath.txt")"
LOG="$OUT/suite.log"
echo "djl-suite: running DJL's integration suite on VecGrad (log: target/djl-suite/suite.log)..." >&2
cd "$OUT"
status=0
OPT_OUT_TRACKING=true "$JAVA" --add-modules jdk.incubator.vector --sun-misc-unsafe-memory-access=allow \
    -Xss4m ${DJL_SUITE_JAVA_OPTS:-} -Dai.djl.offline=true -Dai.djl.default_engine=VecGrad -DDJL_CACHE_DIR="$OUT/cache" \
    -cp "$CP" ai.djl.integration.IntegrationTest "$@" >"$LOG" 2>&1 || status=$?

# 4. DJL's closing lines, then passed/failed/skipped/unsupported per package
echo "---- DJL's summary ----"
grep -E '^\[(INFO|ERROR) *\] - (Skipped: |Unsupported: |Failed [0-9]+ out of|Passed all )' "$LOG" || true
[ "$status" -eq 0 ] || echo "(the suite JVM exited with status $status)"
echo "---- per package ----"
awk '
  /^\[[A-Z]+ *\] - Test ai\.djl\.integration\.tests\./ {
    line = $0; sub(/^.* - Test /, "", line); split(line, f, /[ ,]+/); name = f[1]; res = f[2]
    sub(/^ai\.djl\.integration\.tests\./, "", name)
    n = split(name, part, "."); pkg = part[1]; for (i = 2; i < n - 1; i++) pkg = pkg "." part[i]
    if (res != "PASSED" && res != "FAILED" && res != "SKIPPED" && res != "UNSUPPORTED") next
    count[pkg, res]++; pkgs[pkg] = 1; tot[res]++
  }
  END {
    for (p in pkgs) printf "%-28s %7d %7d %8d %12d\n", p, count[p, "PASSED"], count[p, "FAILED"], count[p, "SKIPPED"], count[p, "UNSUPPORTED"] | "sort"
    close("sort")
    printf "%-28s %7d %7d %8d %12d\n", "total", tot["PASSED"], tot["FAILED"], tot["SKIPPED"], tot["UNSUPPORTED"]
  }' "$LOG" | { printf "%-28s %7s %7s %8s %12s\n" package passed failed skipped unsupported; cat; }
# DJL counts every test of a class whose @BeforeClass failed as FAILED without a line per test
djl_failed=$(sed -n 's/^\[ERROR\] - Failed \([0-9]*\) out of.*/\1/p' "$LOG" | tail -n 1)
listed=$(grep -cE '^\[ERROR\] - Test ai\.djl\.integration\.tests\..* FAILED' "$LOG" || true)
if [ -n "$djl_failed" ] && [ "$djl_failed" -gt "$listed" ]; then
  echo "plus $((djl_failed - listed)) failed in @BeforeClass of (the cause is logged after each):"
  awk '/Running test /{c=$0; sub(/.*Running test /, "", c); sub(/ \.\.\.$/, "", c)} /^\[ERROR\] - $/{getline e; if (c != last) print "  " c ": " e; last=c}' "$LOG" \
    | sed 's/ai\.djl\.integration\.tests\.//' | sort -u
fi
if grep -qE 'hs_err_pid|A fatal error has been detected' "$LOG"; then echo "djl-suite: the JVM crashed"; exit 1; fi
echo "failed tests: grep FAILED $LOG"
