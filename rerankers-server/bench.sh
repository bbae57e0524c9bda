#!/usr/bin/env bash
# Runs the server benchmark harness (not a test): 1/8/32 clients over loopback HTTP, batching on vs off.
# Usage: rerankers-server/bench.sh [tiny|minilm] [seconds per round] [rounds] [batch workers] [spec options, e.g. batchSize=64]     (from anywhere)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o -pl rerankers-server -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-cp.txt -Dmdep.includeScope=test
cd rerankers-server
# the allocator settings bin/rerankers uses for local models (docs/transformers.md)
export MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=1073741824 MALLOC_TOP_PAD_=268435456
exec java -Xmx4g -cp "target/test-classes:target/classes:$(cat target/bench-cp.txt)" \
  -DOPT_OUT_TRACKING=true -Dai.djl.offline=true \
  dev.rerankers.server.bench.ServerBenchmark "$@"
