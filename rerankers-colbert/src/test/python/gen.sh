#!/usr/bin/env bash
# Regenerates the PyLate and ColBERT edge-case fixtures of rerankers-colbert with ../shared/tools/pyref.
# The Python sources run are pinned in sources.sh and exported into target/pysrc.
# Usage: rerankers-colbert/src/test/python/gen.sh [all|pylate|edge]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
module=$(cd "$here/../../.." && pwd)
"$here/sources.sh"
cd "$module"
"${PYREF:-$module/../../shared/tools/pyref}" run "$here/make_fixtures.py" "$module/target/pysrc" "$module/src/test/resources" "${1:-all}"
