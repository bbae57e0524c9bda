#!/usr/bin/env bash
# Exports the pinned Python rerankers source (the commit the golden fixtures were made with) into
# OUT/rerankers, for peer.py. Usage: sources.sh OUT   (MIRROR: the mirrors folder, default /work/.mirror)
set -euo pipefail
out=$1
RERANKERS=7bb252179daaf1968eb9d49629c9cf48b0f9b5f2   # AnswerDotAI/rerankers
MIRROR=${MIRROR:-/work/.mirror}
rm -rf "$out" && mkdir -p "$out"
git -C "$MIRROR/AnswerDotAI+rerankers/repo" archive "$RERANKERS" rerankers | tar x -C "$out"
chmod -R u+w "$out"
echo "{\"rerankers\": \"$RERANKERS\"}" > "$out/versions.json"
