# Copies the tokenizer files of ../shared/golden-e2e cases and the token ids transformers produced
# (tokenization.json: query, docs, expected input_ids / token_type_ids per (query, doc) pair).
# Run from this folder: python3 extract.py /path/to/shared/golden-e2e
import json, shutil, sys, os
src = sys.argv[1]
for case in ["bert", "electra", "xlm-roberta", "deberta-v2", "modernbert"]:
    os.makedirs(case, exist_ok=True)
    for f in ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"]:
        shutil.copyfile(os.path.join(src, case, f), os.path.join(case, f))
    e = json.load(open(os.path.join(src, case, "expected.json")))
    c = e["cases"][0]
    out = {"source": "golden-e2e/" + case + "/expected.json", "query": c["query"], "docs": c["docs"],
           "model_input_names": e["tokenization"]["model_input_names"],
           "pair_token_counts_untruncated": c["pair_token_counts_untruncated"],
           "pairs": e["tokenization"]["pairs"]}
    json.dump(out, open(os.path.join(case, "tokenization.json"), "w"), ensure_ascii=False)
