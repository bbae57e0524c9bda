# Baseline for CrossEncoderBenchmark: Hugging Face transformers' AutoModelForSequenceClassification on
# the same folder, scoring (query, doc) pairs the way Python rerankers' TransformerRanker does
# (batches in input order, tokenizer(pairs, padding=True, truncation=True)), 2 threads, fp32.
# Usage: pyref run bench_hf.py MODEL_DIR DOCS_JSON REPEATS BATCH [BATCH ...]  -> JSON on the last line
import json, sys, time
import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer

model_dir, docs_json, repeats = sys.argv[1], sys.argv[2], int(sys.argv[3])
batches = [int(b) for b in sys.argv[4:]]
torch.set_num_threads(2)
torch.set_num_interop_threads(1)
tok = AutoTokenizer.from_pretrained(model_dir)
model = AutoModelForSequenceClassification.from_pretrained(model_dir).eval()  # default attention (sdpa)
data = json.load(open(docs_json))
query = data["query"]

@torch.inference_mode()
def rank(docs, batch):
    scores = []
    pairs = [(query, d) for d in docs]
    for i in range(0, len(pairs), batch):
        enc = tok(pairs[i:i + batch], return_tensors="pt", padding=True, truncation=True)
        scores.extend(model(**enc).logits.squeeze(-1).tolist())
    return scores

out = {"torch": torch.__version__, "threads": torch.get_num_threads(), "attention": model.config._attn_implementation, "results": []}
n = 1024
a = torch.randn(n, n); b = torch.randn(n, n)
for _ in range(3): a @ b
t = time.perf_counter(); reps = 20
for _ in range(reps): a @ b
out["matmul_gflops"] = 2 * n ** 3 * reps / (time.perf_counter() - t) / 1e9
for name in ("varied", "uniform"):
    docs = data[name]
    for batch in batches:
        first = rank(docs, batch)  # warm-up
        t = time.perf_counter()
        for _ in range(repeats):
            rank(docs, batch)
        dt = time.perf_counter() - t
        out["results"].append({"set": name, "batch": batch, "pairs_per_s": repeats * len(docs) / dt,
                               "first_scores": first[:3]})
print(json.dumps(out))
