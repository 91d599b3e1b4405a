#!/usr/bin/env bash
# Builds the benchmarks jar and runs the engine's JMH benchmarks (masking, frame parsing, frame
# writing, deflate baseline), printing a markdown table with derived GB/s, M frames/s and MB/s.
#
#   benchmarks/run-engine-benchmarks.sh                  # defaults: -f 1 -wi 3 -w 2s -i 5 -r 2s -t 1 (~7 min)
#   benchmarks/run-engine-benchmarks.sh --quick          # -wi 2 -w 500ms -i 5 -r 500ms: about two minutes
#   benchmarks/run-engine-benchmarks.sh --quick Masking  # only benchmarks whose name matches a regexp
#   benchmarks/run-engine-benchmarks.sh -prof gc         # any JMH option; these win over the defaults
#   SKIP_BUILD=1 benchmarks/run-engine-benchmarks.sh     # reuse benchmarks/target/benchmarks.jar
#
# Writes benchmarks/results/engine.json (JMH's JSON) and benchmarks/results/engine.md (the table).
# JAVA selects the java executable (default: java on the PATH).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [[ "${SKIP_BUILD:-}" != "1" ]]; then
  ./mvnw -q -B -pl benchmarks -am package -DskipTests
fi

exec "${JAVA:-java}" -cp benchmarks/target/benchmarks.jar \
  io.breakwater.benchmarks.engine.EngineBenchmarks --out benchmarks/results "$@"
