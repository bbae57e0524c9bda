# Python rerankers' TransformerRanker steps for GraphBenchmark: Hugging Face transformers'
# AutoModelForSequenceClassification (default attention, SDPA) on the benchmark model folder, pairs in input
# order in batches of BATCH, tokenizer(pairs, padding=True, truncation=True), raw logits, torch threads = THREADS.
# Setup (model load, warm-up) is outside the timing. One timed pass per set.
# Usage: pyref run bench_rerankers.py MODEL_DIR DOCS_JSON THREADS BATCH   -> JSON on the last line
import json, sys, time
import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer

model_dir, docs_json, threads, batch = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
torch.set_num_threads(threads)
torch.set_num_interop_threads(1)
tok = AutoTokenizer.from_pretrained(model_dir)
model = AutoModelForSequenceClassification.from_pretrained(model_dir).eval()
data = json.load(open(docs_json))
query = data["query"]

@torch.inference_mode()
def rank(docs):
    pairs = [(query, d) for d in docs]
    scores = []
    for i in range(0, len(pairs), batch):
        enc = tok(pairs[i:i + batch], return_tensors="pt", padding=True, truncation=True, max_length=512)
        scores.extend(model(**enc).logits.squeeze(-1).tolist())
    return sorted(zip(scores, docs), key=lambda x: -x[0])

out = {"torch": torch.__version__, "threads": torch.get_num_threads(),
       "attention": model.config._attn_implementation}
for name in ("varied", "uniform"):
    rank(data[name])  # warm-up
    t = time.perf_counter()
    rank(data[name])
    out[name] = time.perf_counter() - t
print(json.dumps(out))
