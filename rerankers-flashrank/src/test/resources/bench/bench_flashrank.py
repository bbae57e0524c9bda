"""Python side of FlashRankBenchmark (run with ../shared/tools/pyref):
bench_flashrank.py MODEL_DIR ONNX_FILE WORKLOAD_JSON THREADS REPEATS

Does what FlashRank 0.2.x's Ranker does per request, with tokenizers + onnxruntime + numpy:
Tokenizer.from_file(tokenizer.json), truncation to min(model_max_length, 512), padding to the
longest pair, the special tokens of special_tokens_map.json added; per query one encode_batch of
all (query, passage) pairs, one session.run over them all (token_type_ids fed when not all zero),
sigmoid, passages sorted by score. Setup (tokenizer, session) is outside the timing, as FlashRank's
Ranker is built once. intra_op_num_threads = THREADS, inter_op_num_threads = 1. Prints one JSON line.
"""
import json
import os
import sys
import time

import numpy as np
import onnxruntime as ort
import tokenizers
from tokenizers import AddedToken, Tokenizer

model_dir, onnx_file, workload, threads, repeats = sys.argv[1:6]
threads, repeats = int(threads), int(repeats)
cfg = json.load(open(os.path.join(model_dir, "config.json")))
tcfg = json.load(open(os.path.join(model_dir, "tokenizer_config.json")))
smap = json.load(open(os.path.join(model_dir, "special_tokens_map.json")))
tok = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
tok.enable_truncation(max_length=min(tcfg["model_max_length"], 512))
tok.enable_padding(pad_id=cfg["pad_token_id"], pad_token=tcfg["pad_token"])
for t in smap.values():
    tok.add_special_tokens([t] if isinstance(t, str) else [AddedToken(**t)])
so = ort.SessionOptions()
so.intra_op_num_threads = threads
so.inter_op_num_threads = 1
session = ort.InferenceSession(os.path.join(model_dir, onnx_file), so, providers=["CPUExecutionProvider"])
work = json.load(open(workload))


def rerank(query, passages):
    enc = tok.encode_batch([[query, p["text"]] for p in passages])
    ids = np.array([e.ids for e in enc])
    types = np.array([e.type_ids for e in enc])
    mask = np.array([e.attention_mask for e in enc])
    feeds = {"input_ids": ids.astype(np.int64), "attention_mask": mask.astype(np.int64)}
    if not np.all(types == 0):
        feeds["token_type_ids"] = types.astype(np.int64)
    logits = session.run(None, feeds)[0]
    scores = 1 / (1 + np.exp(-logits.flatten())) if logits.shape[1] == 1 else \
        np.exp(logits)[:, 1] / np.sum(np.exp(logits), axis=1)
    for s, p in zip(scores, passages):
        p["score"] = s
    passages.sort(key=lambda x: x["score"], reverse=True)
    return passages


result = {"onnxruntime": ort.__version__, "tokenizers": tokenizers.__version__, "threads": threads}
for name, cases in work.items():
    pairs = sum(len(c["docs"]) for c in cases)
    for c in cases[:1]:  # warm-up: one query
        rerank(c["query"], [{"id": i, "text": d} for i, d in enumerate(c["docs"])])
    best = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        for c in cases:
            rerank(c["query"], [{"id": i, "text": d} for i, d in enumerate(c["docs"])])
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    result[name] = {"pairs": pairs, "seconds": best, "pairs_per_s": pairs / best}
print("RESULT " + json.dumps(result))
