#!/usr/bin/env bash
# Builds the echo servers (benchmarks/servers/*) and the load generator, then runs the whole-server
# benchmarks: Breakwater in Jetty and in Tomcat, Jetty, Tomcat, Tyrus, Undertow and raw Netty, side by side, each
# server pinned to CPU 0 and the load generator to CPU 1, figures per server CPU-second.
#
#   benchmarks/run-server-benchmarks.sh                       # 3 rounds, every scenario (about 27 minutes)
#   benchmarks/run-server-benchmarks.sh --quick               # one short round, a smoke check (about 6 minutes)
#   benchmarks/run-server-benchmarks.sh --servers breakwater,jetty --scenarios text64,binary64k
#   benchmarks/run-server-benchmarks.sh --profile breakwater  # JFR recordings in benchmarks/target/server-runs (add --async-profiler LIB for native frames)
#   benchmarks/run-server-benchmarks.sh --help                # every option
#   SKIP_BUILD=1 benchmarks/run-server-benchmarks.sh ...      # reuse what was built
#
# Writes benchmarks/results/latest.md (the table) and benchmarks/results/latest.json; server logs go to
# benchmarks/target/server-runs. Linux only (/proc, taskset). JAVA selects the java executable, which
# also runs the servers (default: java on the PATH).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

servers=benchmarks/servers/breakwater,benchmarks/servers/breakwater-tomcat,benchmarks/servers/jetty,benchmarks/servers/tomcat,benchmarks/servers/tyrus
servers+=,benchmarks/servers/undertow,benchmarks/servers/netty
if [[ "${SKIP_BUILD:-}" != "1" ]]; then
  ./mvnw -q -B -pl "benchmarks,$servers" -am package -DskipTests
fi

exec "${JAVA:-java}" -cp benchmarks/target/benchmarks.jar \
  io.breakwater.benchmarks.servers.ServerBenchmarks "$@"
