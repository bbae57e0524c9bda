"""Python side of ColbertBenchmark (run through pyref by the Java harness).

  bench_colbert.py model SRC OUT_FOLDER
      writes a seeded random ColBERT checkpoint the size of answerai-colbert-small-v1 (BERT, hidden 384,
      12 layers, 12 heads, bias-free linear 384 -> 96) with golden-e2e/colbert's WordPiece tokenizer. The
      folder name must contain "small": rerankers picks 96 dimensions from the name.
  bench_colbert.py bench SRC WORKLOAD.json RESULT.json
      times rerankers' own ColBERTRanker (source at the pinned commit) on the workload: rank() for a first
      and a second query (Python re-encodes every document each time), and the same computation with the
      document vectors encoded once and reused by hand (what a cache gives).
"""

import json
import os
import shutil
import sys
import time

mode, SRC = sys.argv[1], sys.argv[2]
sys.path.insert(0, SRC)
import torch  # noqa: E402


def make_model(out):
    from transformers import BertConfig, BertModel
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    golden = os.path.join(SRC, "colbert")
    for name in ("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        shutil.copy(os.path.join(golden, name), out)
    cfg = BertConfig(vocab_size=3000, hidden_size=384, num_hidden_layers=12, num_attention_heads=12,
                     intermediate_size=1536, max_position_embeddings=512, hidden_dropout_prob=0.0,
                     attention_probs_dropout_prob=0.0)
    torch.manual_seed(1234)
    bert = BertModel(cfg, add_pooling_layer=False)
    from safetensors.torch import save_file
    state = {"bert." + k: v.contiguous() for k, v in bert.state_dict().items() if not (k.endswith("position_ids") or k.endswith("token_type_ids"))}
    state["linear.weight"] = (torch.randn(96, 384) * 0.05).contiguous()
    save_file(state, os.path.join(out, "model.safetensors"), metadata={"format": "pt"})
    d = cfg.to_dict()
    d["architectures"] = ["HF_ColBERT"]
    d["model_type"] = "bert"
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(d, f, indent=2)


def ranker(folder):
    from rerankers.models import colbert_ranker as cr
    from transformers import PreTrainedModel
    original = PreTrainedModel.init_weights

    def init_weights(self):  # the golden-e2e shim for transformers 5 (see make_fixtures.py)
        if getattr(self, "_shim_in_post_init", False):
            return original(self)
        self._shim_in_post_init = True
        try:
            self.post_init()
        finally:
            self._shim_in_post_init = False

    cr.ColBERTModel.init_weights = init_weights
    return cr.ColBERTRanker(folder, verbose=0, device="cpu", dtype=torch.float32, batch_size=32)


def timed(repeats, fn):
    """Best wall-clock and best process-CPU seconds over repeats (CPU time resists a busy machine)."""
    walls, cpus = [], []
    for _ in range(repeats):
        w, c = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return {"wall_s": min(walls), "cpu_s": min(cpus)}


def bench(workload_path, result_path):
    w = json.load(open(workload_path))
    torch.set_num_threads(w["threads"])
    torch.set_num_interop_threads(1)
    r = ranker(w["model"])
    docs, q1, q2 = w["documents"], w["queries"][0], w["queries"][1]
    repeats = w["repeats"]
    r.rank(q1, docs[:8])  # warm-up
    first = timed(repeats, lambda: r.rank(q1, docs))
    second = timed(1, lambda: r.rank(q2, docs))  # no cache: the same work again

    def encode_docs():
        enc = r._document_encode(docs)
        return r._to_embs(enc), enc["attention_mask"]

    from rerankers.models.colbert_ranker import _colbert_score
    with torch.inference_mode():
        holder = {}
        encode = timed(1, lambda: holder.update(v=encode_docs()))
        d_emb, d_mask = holder["v"]

        def warm():
            qe = r._query_encode([q2])
            q_emb = r._to_embs(qe)
            return _colbert_score(q_emb, d_emb, qe["attention_mask"], d_mask).cpu().tolist()[0]

        reuse = timed(max(repeats, 5), warm)
    json.dump({"first_query": first, "second_query": second, "encode_documents": encode,
               "second_query_reusing_vectors": reuse, "threads": torch.get_num_threads(),
               "torch": torch.__version__}, open(result_path, "w"), indent=1)


if __name__ == "__main__":
    if mode == "model":
        make_model(sys.argv[3])
    else:
        bench(sys.argv[3], sys.argv[4])
