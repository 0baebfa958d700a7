#!/usr/bin/env bash
# Runs the coord benchmarks against real server processes. Not part of ./mvnw verify.
#   bench/run.sh                      every scenario (floor startup roundtrip contention scale bounded memory hookcalls
#                                     worktrees dashboard), then the targets of issue 18 side by side, ~15 min
#   bench/run.sh targets              only what the targets name (startup roundtrip hookcalls memory bounded, contention at
#                                     8 processes) with short settings, then the side-by-side table, ~5 min
#   bench/run.sh startup roundtrip    some of them
#   bench/run.sh hooks                per-edit latency of the Claude Code hooks in real Claude Code (needs
#                                     npm ci --prefix server/src/test/clients), ~2 min
#   bench/run.sh jmh                  the JMH microbenchmarks (JMH options may follow)
# Results: Markdown on stdout and appended to bench/target/results.md; the contention plot is written to
# docs/performance-contention.png. Tunables: -Dbench.startup.runs=20 -Dbench.calls=2000 -Dbench.seconds=5
# -Dbench.decisions=100000 via BENCH_OPTS; for contention also -Dbench.processes=1,2,4,8,16
# -Dbench.warmup.seconds=1 -Dbench.settle.ms=4000 -Dbench.server.opts="<extra JVM options for the servers>".
# Servers start through the launcher of a `coord install` that the driver makes into bench/target/install (the newest
# Java it finds, COORD_JAVA chooses; the archive made for it), or -Dbench.launcher=PATH, or -Dbench.launch=mcp for the
# command of .mcp.json; startup and memory also measure .mcp.json and plain-JDK rows.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q package -DskipTests
[ $# -gt 0 ] || set -- all
exec java ${BENCH_OPTS:-} -jar bench/target/coord-bench.jar "$@"
