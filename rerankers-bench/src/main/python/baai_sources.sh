#!/usr/bin/env bash
# Exports BAAI's LayerWiseMiniCPM modelling code (FlagEmbedding, the commit the llm fixtures were written
# from) into OUT, for make_models.py's minicpm-layerwise-2b-shape folder (see baai_minicpm.py). Nothing of it
# is kept in this repository. Usage: baai_sources.sh OUT   (MIRROR: the mirrors folder, default /work/.mirror)
#   OUT/modeling_minicpm_reranker.py, OUT/configuration_minicpm_reranker.py   the remote code, as on the Hub
#   OUT/_flagembedding/FlagEmbedding/utils/transformers_compat.py             the one FlagEmbedding module it
#                                                                            imports (empty __init__ files)
set -euo pipefail
out=$1
FLAGEMBEDDING=7ed43d67ec03fbe5c31c0992dbfa941fb1860549   # FlagOpen/FlagEmbedding
MIRROR=${MIRROR:-/work/.mirror}
repo="$MIRROR/FlagOpen+FlagEmbedding/repo"
if ! git -C "$repo" cat-file -e "$FLAGEMBEDDING^{commit}" 2>/dev/null; then
  echo "baai_sources.sh: no FlagEmbedding commit $FLAGEMBEDDING in $repo (the FlagOpen/FlagEmbedding mirror;" \
    "set MIRROR to the folder that holds FlagOpen+FlagEmbedding): the llm-minicpm-layerwise row runs BAAI's" \
    "modeling_minicpm_reranker.py from it" >&2
  exit 1
fi
rm -rf "$out" && mkdir -p "$out/_flagembedding/FlagEmbedding/utils"
models=FlagEmbedding/inference/reranker/decoder_only/models
for f in modeling_minicpm_reranker.py configuration_minicpm_reranker.py; do
  git -C "$repo" show "$FLAGEMBEDDING:$models/$f" > "$out/$f"
done
git -C "$repo" show "$FLAGEMBEDDING:FlagEmbedding/utils/transformers_compat.py" \
  > "$out/_flagembedding/FlagEmbedding/utils/transformers_compat.py"
: > "$out/_flagembedding/FlagEmbedding/__init__.py"
: > "$out/_flagembedding/FlagEmbedding/utils/__init__.py"
echo "{\"FlagEmbedding\": \"$FLAGEMBEDDING\"}" > "$out/versions.json"
