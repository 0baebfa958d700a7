#!/usr/bin/env bash
# Two coord sessions on a scratch repository, no Claude Code needed: a lock conflict, a shared decision and a
# mission claim race between two real coord servers. Usage: examples/demo/run.sh
#   COORD_JAR   the coord.jar to run (default: server/target/coord.jar of this checkout, built when missing)
#   DEMO_DIR    where to make the scratch repository (default: a new temporary directory, removed at the end)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
jar=${COORD_JAR:-"$top/server/target/coord.jar"}
if [ ! -f "$jar" ]; then
  echo "building $jar (once) ..." >&2
  (cd "$top" && ./mvnw -B -q -DskipTests package)
fi
java=${JAVA_HOME:+"$JAVA_HOME/bin/"}java
if [ -n "${DEMO_DIR:-}" ]; then
  scratch=$DEMO_DIR
else
  scratch=$(mktemp -d "${TMPDIR:-/tmp}/coord-demo.XXXXXX")
  trap 'rm -rf "$scratch"' EXIT
fi
# a single-file Java program: JDK 17+ runs it from source, no compilation step, no dependency
"$java" "$here/TwoSessions.java" "$jar" "$scratch"
