#!/usr/bin/env bash
# Runs the coord benchmarks against real server processes. Not part of ./mvnw verify.
#   bench/run.sh                      every scenario (floor startup roundtrip contention scale memory worktrees), ~12 min
#   bench/run.sh startup roundtrip    some of them
#   bench/run.sh hooks                per-edit latency of the Claude Code hooks in real Claude Code (needs
#                                     npm ci --prefix server/src/test/clients), ~2 min
#   bench/run.sh jmh                  the JMH microbenchmarks (JMH options may follow)
# Results: Markdown on stdout and appended to bench/target/results.md; the contention plot is written to
# docs/performance-contention.png. Tunables: -Dbench.startup.runs=20 -Dbench.calls=2000 -Dbench.seconds=5
# -Dbench.decisions=100000 via BENCH_OPTS; for contention also -Dbench.processes=1,2,4,8,16
# -Dbench.warmup.seconds=1 -Dbench.settle.ms=4000 -Dbench.server.opts="<extra JVM options for the servers>".
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q package -DskipTests
[ $# -gt 0 ] || set -- all
exec java ${BENCH_OPTS:-} -jar bench/target/coord-bench.jar "$@"
