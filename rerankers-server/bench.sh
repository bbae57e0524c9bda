#!/usr/bin/env bash
# Server benchmark (issue 17, item 6): 1 / 8 / 32 closed-loop clients over loopback HTTP, batching on
# vs off, alternating rounds; then the server's own overhead at one client (in-process vs HTTP).
# Writes its figures into docs/server.md between <!-- bench:server:begin --> and <!-- bench:server:end -->.
#
# Run from the repository root after `mvn -B -o verify` (or `mvn -B -o -pl rerankers-server -am verify`):
#   rerankers-server/bench.sh            # full run: about 4-5 minutes on a quiet 2-core machine
#   rerankers-server/bench.sh --smoke    # the whole path on tiny sizes, ~1-2 minutes; figures marked as smoke
# The script itself runs `mvn -o -q -pl rerankers-server -am test-compile dependency:build-classpath`
# (incremental after verify) for the class path. Extra arguments go to the harness, e.g.
#   rerankers-server/bench.sh --workers=1,4 --options=batchSize=32 --max-wait-ms=5
# Environment: BENCH_MAX_WAIT_S (default 600): how long to wait for a 1-minute load average below 1.0
# before running anyway (the figures then say "under load"); BENCH_NO_DOCS=1 leaves docs/server.md alone.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
DOC="$ROOT/docs/server.md"

SMOKE=0
ARGS=()
for a in "$@"; do
  if [[ "$a" == "--smoke" ]]; then SMOKE=1; else ARGS+=("$a"); fi
done
if [[ $SMOKE == 1 ]]; then
  SIZES=(--shape=tiny --seconds=1 --rounds=1 --overhead-shape=tiny --overhead-seconds=1)
  echo "smoke run: tiny model, 1 s rounds; expected duration ~1-2 minutes (build included)"
else
  SIZES=(--shape=minilm --seconds=6 --rounds=2 --overhead-shape=tiny --overhead-seconds=5)
  echo "full run: MiniLM-L6-shaped cross-encoder, 6 s rounds x 2 per setting (16 rounds), then 6 overhead rounds;"
  echo "expected duration ~4-5 minutes on a quiet 2-core machine (build ~30 s, then ~4 min of rounds)"
fi
START=$(date +%s)

grep -q '<!-- bench:server:begin -->' "$DOC" && grep -q '<!-- bench:server:end -->' "$DOC" \
  || { echo "markers <!-- bench:server:begin/end --> missing in $DOC" >&2; exit 1; }

echo "building the class path (mvn -o, incremental)..."
mvn -B -q -o -pl rerankers-server -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench-cp.txt -Dmdep.includeScope=test

# a quiet machine first (docs: WAVE3 rules); the smoke run only proves the plumbing and does not wait
load1() { cut -d' ' -f1 /proc/loadavg; }
if [[ $SMOKE == 0 ]]; then
  waited=0
  while awk "BEGIN{exit !($(load1) > 1.0)}" && (( waited < ${BENCH_MAX_WAIT_S:-600} )); do
    echo "load average $(load1) > 1.0: waiting (${waited}s so far)"; sleep 30; waited=$((waited + 30))
  done
fi
UPTIME_BEFORE=$(uptime)
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
NPROC=$(nproc)
CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
echo "uptime: $UPTIME_BEFORE"
echo "nproc: $NPROC; CPU: $CPU"

OUT=$(mktemp -d /tmp/rerankers-server-bench.XXXXXX)
cd rerankers-server
# the allocator settings bin/rerankers uses for local models (docs/transformers.md)
export MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=1073741824 MALLOC_TOP_PAD_=268435456
java -Xmx4g -cp "target/test-classes:target/classes:$(cat target/bench-cp.txt)" \
  -DOPT_OUT_TRACKING=true -Dai.djl.offline=true \
  dev.rerankers.server.bench.ServerBenchmark "${SIZES[@]}" ${ARGS[@]+"${ARGS[@]}"} --out="$OUT/figures.md" \
  2> "$OUT/server.log" | tee "$OUT/stdout.txt" \
  || { echo "benchmark failed; server log: $OUT/server.log" >&2; tail -30 "$OUT/server.log" >&2; exit 1; }
cd "$ROOT"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
SECS=$(( $(date +%s) - START ))
echo "load average after: $LOAD_AFTER; took ${SECS} s"

QUIET="quiet"
awk "BEGIN{exit !(${LOAD_BEFORE%% *} > 1.0)}" && QUIET="UNDER LOAD: 1-minute load average above 1.0, not a result"
CMD="rerankers-server/bench.sh${ARGS[*]:+ ${ARGS[*]}}"
{
  if [[ $SMOKE == 1 ]]; then
    echo "**Smoke run (\`--smoke\`: tiny sizes, 1 s rounds) — proves the harness, not the speed; rerun without \`--smoke\` on a quiet machine for figures.**"
    echo
    CMD="rerankers-server/bench.sh --smoke${ARGS[*]:+ ${ARGS[*]}}"
  fi
  echo "Run $(date -u '+%Y-%m-%d %H:%M UTC') on $NPROC CPUs ($CPU), Java $(java -version 2>&1 | head -1 | sed 's/.*"\(.*\)".*/\1/'),"
  echo "PyTorch intra-op threads at its default (one per core), inter-op 1; load average before: $LOAD_BEFORE ($QUIET),"
  echo "after: $LOAD_AFTER; took ${SECS} s. Command, from the repository root after \`mvn -B -o verify\`: \`$CMD\`"
  echo
  cat "$OUT/figures.md"
} > "$OUT/block.md"

if [[ "${BENCH_NO_DOCS:-0}" == 1 ]]; then
  echo "BENCH_NO_DOCS=1: docs/server.md left alone; figures in $OUT/block.md"
else
  BLOCK="$OUT/block.md" perl -0777 -i -pe '
    BEGIN { local $/; open my $f, "<", $ENV{BLOCK} or die; $b = <$f>; close $f }
    s/(<!-- bench:server:begin -->\n).*?(<!-- bench:server:end -->)/$1\n$b\n$2/s or die "markers not found\n"' "$DOC"
  echo "figures written into docs/server.md (between the bench:server markers); logs in $OUT"
fi
