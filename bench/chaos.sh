#!/usr/bin/env bash
# The long chaos run: ChaosIT (server module) with its chaos phases lasting about SECONDS in all (default 600),
# split 5:6:7 between 2, 4 and 8 server processes, then max(4, SECONDS/20) crash-during-write trials.
#   bench/chaos.sh          ten minutes of chaos (about 13 minutes of wall time with start-ups and checks)
#   bench/chaos.sh 120      two minutes
# Report: server/target/chaos-long/chaos-report.md (and a copy next to the run's repository and server logs,
# server/target/chaos-long/run-*/). Exit status 0 only when every safety count is 0.
# The short version (24 s of chaos, 60 to 110 s in all on a busy 2-core machine) runs in ./mvnw -B verify with the other integration tests.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-600}"
exec ./mvnw -B -q -pl server -am verify \
  -Dit.test=ChaosIT -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dcoord.appcds.skip -Dchaos.seconds="$seconds" -Dchaos.out=target/chaos-long
