#!/usr/bin/env bash
# Runs the cross-encoder benchmark harnesses (not tests; need ../shared/tools/pyref):
#   rerankers-transformers/bench.sh [REPEATS] [nopython]   Java libtorch vs Hugging Face transformers
#   rerankers-transformers/bench.sh graph [ROUNDS]          issue 20: libtorch vs graph fp32/int8 vs Python
#                                                           rerankers vs the Python onnxruntime pipeline
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl rerankers-transformers -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-cp.txt -Dmdep.includeScope=test
cd rerankers-transformers
main=dev.rerankers.transformers.bench.CrossEncoderBenchmark
if [ "${1:-}" = graph ]; then
  shift
  main=dev.rerankers.transformers.bench.GraphBenchmark
fi
exec java -cp "target/test-classes:target/classes:$(cat target/bench-cp.txt)" \
  -DOPT_OUT_TRACKING=true -Dai.djl.offline=true "$main" "$@"
