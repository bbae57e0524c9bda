"""The Python half of the llm-minicpm-layerwise parity check (run through ../shared/tools/pyref from a folder
that holds the repository, e.g. /work):

    minicpm_parity.py MODEL_DIR PYSRC WORKLOAD.json CUTOFF OUT.json
    java -cp "$jar:$(cat rerankers-bench/target/bench-classpath.txt)" \
        rerankers-bench/src/main/python/MiniCpmParity.java "llm-layerwise:MODEL_DIR?device=cpu&cutoffLayers=CUTOFF" OUT.json

Scores of BAAI's LayerWiseMiniCPMForCausalLM (the model folder's remote code) on the prompts Python rerankers'
LLMLayerWiseRanker builds, read at each row's last real token (FlagEmbedding's last_logit_pool), and the
scores LLMLayerWiseRanker.rank() returns (read at position -1 of the right-padded batch). MODEL_DIR: the bench's
minicpm-layerwise-2b-shape folder; PYSRC: rerankers-bench/target/pysrc (sources.sh); WORKLOAD: a row's
workload file (rerankers-bench/target/bench-work/*-workload.json).
"""
import json
import os
import sys

model, src, workload, cutoff, out = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
sys.path.insert(0, src)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch
torch.set_num_threads(2)
import baai_minicpm
baai_minicpm.install(model)
from transformers import PreTrainedTokenizerBase


def prepare_for_model(self, ids, pair_ids=None, truncation=None, max_length=None, **kwargs):
    pair_ids = list(pair_ids or []); ids = list(ids)
    if max_length is not None and truncation == "only_second":
        remove = len(ids) + len(pair_ids) - max_length
        if remove > 0 and len(pair_ids) > remove:
            pair_ids = pair_ids[:-remove]
    return {"input_ids": ids + pair_ids}  # peer.py's transformers-5 shim


if not hasattr(PreTrainedTokenizerBase, "prepare_for_model"):
    PreTrainedTokenizerBase.prepare_for_model = prepare_for_model
from rerankers.models.llm_layerwise_ranker import LLMLayerWiseRanker
r = LLMLayerWiseRanker(model, verbose=0, device="cpu", dtype=torch.float32, batch_size=16, cutoff_layers=[cutoff])
print("model class:", type(r.model).__module__, type(r.model).__name__, "attn:", r.model.config._attn_implementation)
w = json.load(open(workload))
res = []
with torch.inference_mode():
    for name, cases in w["sets"].items():
        for c in cases:
            pairs = [(c["query"], d) for d in c["docs"]]
            inputs = r._get_inputs(pairs, max_sequence_length=512)
            o = r.model(**inputs, return_dict=True, cutoff_layers=[cutoff])
            z = o[0][-1]
            last = inputs["attention_mask"].sum(1) - 1
            at_last = [z[i, last[i]].item() for i in range(len(pairs))]
            rr = r.rank(c["query"], c["docs"])
            by_doc = {x.document.text: x.score for x in rr.results}
            res.append({"set": name, "query": c["query"], "docs": c["docs"], "last_token": at_last,
                        "rank_position_minus_1": [by_doc[d] for d in c["docs"]],
                        "lengths": [int(x) for x in inputs["attention_mask"].sum(1)], "padded": inputs["input_ids"].shape[1]})
json.dump(res, open(out, "w"), indent=1)
print("python scores:", [[round(s, 5) for s in x["last_token"]] for x in res])
