#!/usr/bin/env bash
# Runs the cross-encoder benchmark harness (not a test): Java vs Hugging Face transformers (pyref).
# Usage: rerankers-transformers/bench.sh [REPEATS] [nopython]     (from anywhere; needs ../shared/tools/pyref)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl rerankers-transformers -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-cp.txt -Dmdep.includeScope=test
cd rerankers-transformers
exec java -cp "target/test-classes:target/classes:$(cat target/bench-cp.txt)" \
  -DOPT_OUT_TRACKING=true -Dai.djl.offline=true \
  dev.rerankers.transformers.bench.CrossEncoderBenchmark "$@"
