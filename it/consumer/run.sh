#!/usr/bin/env bash
# The consumer test (issue 14): vecgrad used as a library, by coordinates, on the module path.
#   1. installs the reactor's library artifacts (parent, engine, autograd, optim, djl) into a PRIVATE
#      local repository, $ROOT/target/it/m2 (never ~/.m2: other builds on this machine would pick
#      the jars up). Third-party artifacts and Maven's plugins are not copied: the private
#      repository links to their directories in the user's repository (read as a cache).
#   2. builds it/consumer (its own pom, a module-info that requires io.vecgrad.optim and
#      io.vecgrad.autograd; -Xlint:all -Werror) against that repository;
#   3. runs it on the module path twice: with --add-modules jdk.incubator.vector (vector kernels
#      expected) and without (scalar kernels and exactly one warning expected);
#   4. puts vecgrad-djl and its dependencies on the module path and asks DJL for the VecGrad
#      engine (found only through io.vecgrad.djl's `provides`) - djl/DjlCheck.java.
# Offline (-o) first; if an artifact is missing from the user's repository, once more online.
# Usage: it/consumer/run.sh   (JAVA_HOME must be a JDK >= 25; ./vecgrad test calls it)
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
JAVA="${JAVA_HOME:?JAVA_HOME must point at a JDK >= 25}/bin/java"
WORK="$ROOT/target/it"
REPO="$WORK/m2"
USER_REPO="${VECGRAD_USER_REPO:-$HOME/.m2/repository}"
if command -v mvn >/dev/null 2>&1; then MVN=(mvn -B -ntp); else MVN=("$ROOT/mvnw" -B -ntp); fi
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"

fail() { echo "consumer test: FAILED: $*"; exit 1; }

# 1. the private repository: our groupId io/vecgrad is a real directory (fresh every run), every
#    other top-level entry of the user's repository a symbolic link to it
rm -rf "$REPO"
mkdir -p "$REPO/io/vecgrad"
if [ -d "$USER_REPO" ]; then
  for e in "$USER_REPO"/*; do
    [ -e "$e" ] || continue
    [ "$(basename "$e")" = io ] && continue
    ln -s "$e" "$REPO/$(basename "$e")"
  done
  if [ -d "$USER_REPO/io" ]; then
    for e in "$USER_REPO"/io/*; do
      [ "$(basename "$e")" = vecgrad ] && continue
      ln -s "$e" "$REPO/io/$(basename "$e")"
    done
  fi
fi

mvn_twice() { # mvn_twice LOG ARGS...: offline, then online if something was missing offline
  local log=$1; shift
  if "${MVN[@]}" -o "$@" >"$log" 2>&1; then return 0; fi
  if grep -qE 'offline|has not been downloaded|Cannot access .* in offline mode' "$log"; then
    echo "consumer test: an artifact is missing offline; retrying online (log: $log)"
    "${MVN[@]}" "$@" >"$log" 2>&1 && return 0
  fi
  grep -E 'ERROR' "$log" | head -n 30
  return 1
}

VERSION=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$ROOT/pom.xml" | head -n 1)
[ -n "$VERSION" ] || fail "cannot read the version from $ROOT/pom.xml"
mvn_twice "$WORK/install.log" -q -f "$ROOT/pom.xml" -Dmaven.repo.local="$REPO" -Dmaven.test.skip=true \
    -Dmaven.javadoc.skip=true -Dmaven.source.skip=true -pl engine,autograd,optim,djl -am install \
  || fail "installing vecgrad $VERSION into $REPO (log: $WORK/install.log)"

# 2. the consumer project, built by coordinates from the private repository
rm -rf "$HERE/target"
mvn_twice "$WORK/consumer-build.log" -q -f "$HERE/pom.xml" -Dmaven.repo.local="$REPO" -Dvecgrad.version="$VERSION" \
    package dependency:build-classpath -Dmdep.outputFile="$HERE/target/modulepath.txt" -DincludeScope=runtime \
  || fail "building it/consumer against the installed artifacts (log: $WORK/consumer-build.log)"
MP="$HERE/target/vecgrad-consumer-1.jar:$(cat "$HERE/target/modulepath.txt")"
case "$MP" in *"$REPO/io/vecgrad/vecgrad-optim/$VERSION/"*) ;; *) fail "vecgrad-optim did not come from $REPO: $MP" ;; esac

# 3. run on the module path, with and without the incubator module
run() { # run MODE [JVM flags...]
  local mode=$1; shift
  "$JAVA" "$@" --module-path "$MP" -m io.vecgrad.it.consumer/io.vecgrad.it.consumer.Main "$WORK/out-$mode" "$mode" \
      >"$WORK/run-$mode.out" 2>"$WORK/run-$mode.err" \
    || { cat "$WORK/run-$mode.out" "$WORK/run-$mode.err"; fail "the $mode run exited non-zero"; }
  grep -q '^consumer: PASSED' "$WORK/run-$mode.out" || fail "the $mode run did not pass"
}
run vector --add-modules jdk.incubator.vector
run scalar
warnings=$(grep -c 'using the scalar kernels' "$WORK/run-scalar.err" || true)
[ "$warnings" = 1 ] || { cat "$WORK/run-scalar.err"; fail "expected one scalar-fallback warning without the incubator module, got $warnings"; }
grep -q 'using the scalar kernels' "$WORK/run-vector.err" && fail "the vector run warned about scalar kernels"
# 4. the DJL engine through its provides clause
mvn_twice "$WORK/consumer-djl.log" -q -f "$HERE/pom.xml" -Dmaven.repo.local="$REPO" -Dvecgrad.version="$VERSION" -Pdjl \
    dependency:build-classpath -Dmdep.outputFile="$HERE/target/modulepath-djl.txt" -DincludeScope=runtime \
  || fail "resolving vecgrad-djl from $REPO (log: $WORK/consumer-djl.log)"
"$JAVA" --add-modules jdk.incubator.vector,io.vecgrad.djl --module-path "$(cat "$HERE/target/modulepath-djl.txt")" \
    "$HERE/djl/DjlCheck.java" >"$WORK/run-djl.out" 2>"$WORK/run-djl.err" \
  || { cat "$WORK/run-djl.out" "$WORK/run-djl.err"; fail "the DJL engine was not found or failed on the module path"; }
grep -E '^consumer: ok' "$WORK/run-vector.out" | sed 's/^/  /'
sed 's/^/  /' "$WORK/run-djl.out"
echo "  (no --add-modules jdk.incubator.vector: $(grep -E 'kernels' "$WORK/run-scalar.out" | sed 's/^consumer: ok //'))"
echo "consumer test: PASSED (vecgrad $VERSION from $REPO, on the module path)"
