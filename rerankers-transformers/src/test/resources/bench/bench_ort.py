# Python onnxruntime pipeline for GraphBenchmark: what FlashRank's Ranker does per request, with tokenizers +
# onnxruntime + numpy on an ONNX export of the benchmark model. MODE "flashrank": one encode_batch and one
# session.run over all (query, passage) pairs of the request (FlashRank's batching, padded to the longest);
# MODE "sorted16": batches of 16 pairs sorted by length (this library's batching), to separate batching from
# kernels. Setup (tokenizer, session, warm-up) is outside the timing. One timed pass per set.
# Usage: pyref run bench_ort.py MODEL_DIR ONNX_FILE DOCS_JSON THREADS MODE   -> JSON on the last line
import json, sys, time
import numpy as np
import onnxruntime as ort
import tokenizers
from tokenizers import Tokenizer

model_dir, onnx_file, docs_json, threads, mode = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
tok = Tokenizer.from_file(model_dir + "/tokenizer.json")
tok.enable_truncation(max_length=512)
tok.enable_padding(pad_id=0, pad_token="[PAD]")
so = ort.SessionOptions()
so.intra_op_num_threads = threads
so.inter_op_num_threads = 1
session = ort.InferenceSession(onnx_file, so, providers=["CPUExecutionProvider"])
data = json.load(open(docs_json))
query = data["query"]

def run(pairs):
    enc = tok.encode_batch(pairs)
    feeds = {"input_ids": np.array([e.ids for e in enc], dtype=np.int64),
             "attention_mask": np.array([e.attention_mask for e in enc], dtype=np.int64),
             "token_type_ids": np.array([e.type_ids for e in enc], dtype=np.int64)}
    return session.run(None, feeds)[0].reshape(-1)

def rerank(docs):
    pairs = [(query, d) for d in docs]
    if mode == "flashrank":
        logits = run(pairs)
    else:
        lengths = [len(e.ids) for e in tok.encode_batch(pairs)]
        order = sorted(range(len(pairs)), key=lambda i: -lengths[i])
        logits = np.zeros(len(pairs), dtype=np.float32)
        for i in range(0, len(order), 16):
            idx = order[i:i + 16]
            logits[idx] = run([pairs[j] for j in idx])
    scores = 1 / (1 + np.exp(-logits))
    return sorted(zip(scores, docs), key=lambda x: -x[0])

out = {"onnxruntime": ort.__version__, "tokenizers": tokenizers.__version__, "threads": threads, "mode": mode}
for name in ("varied", "uniform"):
    rerank(data[name])  # warm-up
    t = time.perf_counter()
    rerank(data[name])
    out[name] = time.perf_counter() - t
print(json.dumps(out))
