#!/usr/bin/env bash
# Exports the pinned Python sources (rerankers, PyLate, sentence-transformers) and the golden-e2e inputs the
# generators read into rerankers-colbert/target/pysrc. Usage: sources.sh (from anywhere).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
module=$(cd "$here/../../.." && pwd)
src=$module/target/pysrc
RERANKERS=7bb252179daaf1968eb9d49629c9cf48b0f9b5f2   # AnswerDotAI/rerankers (the golden-e2e commit)
PYLATE=1f1f47cee5df35ebe6fd2286a0a205a1523e4119      # lightonai/pylate 1.4.0
ST=85ec64559f4414aa536eca4bf53538291e0a333f          # UKPLab/sentence-transformers 5.2.0.dev0
MIRROR=${MIRROR:-/work/.mirror}
shared=${SHARED:-$module/../../shared}
rm -rf "$src" && mkdir -p "$src"
git -C "$MIRROR/AnswerDotAI+rerankers/repo" archive "$RERANKERS" rerankers | tar x -C "$src"
git -C "$MIRROR/lightonai+pylate/repo" archive "$PYLATE" pylate | tar x -C "$src"
git -C "$MIRROR/UKPLab+sentence-transformers/repo" archive "$ST" sentence_transformers | tar x -C "$src"
cp -r "$shared/golden-e2e/colbert" "$src/colbert"
mkdir -p "$src/modernbert-tokenizer"
cp "$shared/golden-e2e/modernbert/"{tokenizer.json,tokenizer_config.json,special_tokens_map.json} "$src/modernbert-tokenizer/"
chmod -R u+w "$src"
cat > "$src/versions.json" <<JSON
{"rerankers": "$RERANKERS", "pylate": "$PYLATE", "sentence_transformers": "$ST"}
JSON
