#!/usr/bin/env bash
# Benchmarks: real --once cycles of the packaged jar against the simulator, beside a bare client that only
# fetches and parses the same pages. Prints figures; judges nothing. Takes a few minutes.
#   bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export ALIBABA_CLOUD_ECS_METADATA_DISABLED=true
mvn -B -q -DskipTests package test-compile
CP="target/polardb-ops-alerts.jar:target/test-classes"
exec java -Xmx2g -cp "$CP" io.github.polardbopsalerts.bench.CycleBenchmark
