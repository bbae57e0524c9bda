#!/usr/bin/env bash
# Issue 20's benchmark: MiniLM-L6 cross-encoder on libtorch eager vs the recorded ONNX graph (fp32, int8)
# vs Python rerankers' steps vs the Python onnxruntime pipeline (FlashRank's steps), varied and uniform
# lengths, 2 threads, alternating rounds in one run. Writes its table between <!-- bench:graph:begin -->
# and <!-- bench:graph:end --> in docs/benchmarks.md (created if absent) and docs/transformers.md.
#
# Run from the repository root, after `mvn -B -o verify` (this script then only runs
# `mvn -B -q -o -pl rerankers-transformers -am test-compile dependency:build-classpath`, a no-op build):
#   rerankers-transformers/bench-graph.sh            full run: 100 documents per set, 3 rounds,
#                                                    about 8 minutes on a quiet 2-core machine
#   rerankers-transformers/bench-graph.sh --smoke    8 short documents, 1 round: plumbing only (~1.5 min)
#   rerankers-transformers/bench-graph.sh --rounds 2 fewer rounds (about 6 minutes)
# Needs ../shared (SciFact, tools/pyref with its chroot built). QUIET_MAX (seconds, default 300; 0 in
# --smoke) bounds the wait for a 1-minute load average <= 1.0 before the timed part; the figures say
# when the machine was not quiet.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
smoke=0
for a in "$@"; do [ "$a" = --smoke ] && smoke=1; done
if [ $smoke = 1 ]; then
  echo "bench-graph (smoke): expected duration about 1.5 minutes (first run: + ~1 min for the ONNX export)"
  max=${QUIET_MAX:-0}
else
  echo "bench-graph: expected duration about 8 minutes on a quiet 2-core machine with 3 rounds" \
    "(first run: + ~1 min for the ONNX export), plus up to ${QUIET_MAX:-300} s waiting for a quiet machine"
  max=${QUIET_MAX:-300}
fi
start=$(date +%s)
echo "uptime: $(uptime)"
echo "nproc: $(nproc); CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
mvn -B -q -o -pl rerankers-transformers -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/graph-bench-cp.txt -Dmdep.includeScope=test
waited=0
while :; do
  l=$(cut -d' ' -f1 /proc/loadavg)
  if awk "BEGIN{exit !($l <= 1.0)}"; then break; fi
  if [ $waited -ge "$max" ]; then echo "WARNING: 1-minute load average $l after waiting ${waited}s: figures are marked as under load"; break; fi
  sleep 15; waited=$((waited+15))
done
echo "load average before the run: $(cat /proc/loadavg) (waited ${waited}s)"
cd rerankers-transformers
java -cp "target/test-classes:target/classes:$(cat target/graph-bench-cp.txt)" \
  -DOPT_OUT_TRACKING=true -Dai.djl.offline=true -Djava.util.logging.config.file=/dev/null \
  dev.rerankers.transformers.bench.GraphBenchmark --docs "$root" \
  --command "rerankers-transformers/bench-graph.sh${*:+ $*}" "$@"
echo "load average after the run: $(cat /proc/loadavg); nproc $(nproc); took $(( $(date +%s) - start )) s"
