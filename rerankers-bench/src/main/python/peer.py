"""The Python side of one rerankers-bench row (run through ../shared/tools/pyref by BenchMain).

    peer.py SPEC.json RESULT.json

SPEC: {"family", "model", "threads", "repeats", "batch_size", "workload", "src"} (+ family extras).
Times what the Python peer of a Java backend does, in this process, after the same steps as the Java
side: time to first result (from this process's start, read from /proc, to the first ranking of the
workload's "first" call: the imports, the model load and one rank), then pairs per second for each set
(best of `repeats` passes over its queries, after that first call), then the peak RSS (VmHWM).

Peers: Python rerankers' own ranker classes, at the commit the golden fixtures were made with (the
`rerankers` package exported from the mirror into SRC): TransformerRanker (cross-encoder), T5Ranker,
UPRRanker, ColBERTRanker, MxBaiV2Ranker, LLMLayerWiseRanker, MonoVLMRanker; FlashRank's own steps with
onnxruntime + tokenizers (flashrank, as bench_flashrank.py did); a sentence-transformers-style
bi-encoder (AutoModel, mean pooling, L2 normalisation, cosine) for dense; the model card's code for
Qwen3-Reranker. Each uses its library's defaults except device cpu, dtype float32 and the batch size
(and the row's `cutoff_layers` for LLMLayerWiseRanker, whose defaults are keyed by Hub id).
The transformers-5 shims are the golden fixtures' (see ../shared/golden-e2e/README.md); BAAI's MiniCPM
remote code gets three more, in baai_minicpm.py.
"""
import json
import os
import sys
import time


def since_start():
    """Seconds since this process started (the kernel's start time; the same reading as the Java side)."""
    with open("/proc/self/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    start_ticks = int(fields[19])
    with open("/proc/uptime") as f:
        uptime = float(f.read().split()[0])
    return uptime - start_ticks / os.sysconf("SC_CLK_TCK")


def peak_rss_mb():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    return -1.0


spec = json.load(open(sys.argv[1]))
out_path = sys.argv[2]
family = spec["family"]
sys.path.insert(0, spec["src"])
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import autostub  # noqa: E402

autostub.install()
import torch  # noqa: E402

imported_at = since_start()

threads = int(spec["threads"])
torch.set_num_threads(threads)
torch.set_num_interop_threads(1)
work = json.load(open(spec["workload"]))
model = spec["model"]
batch = int(spec.get("batch_size", 16))
versions = {"torch": torch.__version__}


def transformers5_shims():
    """What the golden fixtures needed to run this rerankers snapshot under transformers 5."""
    import transformers
    from transformers import PreTrainedTokenizerBase
    versions["transformers"] = transformers.__version__
    if not hasattr(PreTrainedTokenizerBase, "prepare_for_model"):
        def prepare_for_model(self, ids, pair_ids=None, truncation=None, max_length=None, **kwargs):
            pair_ids = list(pair_ids or [])
            ids = list(ids)
            if max_length is not None and truncation == "only_second":
                remove = len(ids) + len(pair_ids) - max_length
                if remove > 0 and len(pair_ids) > remove:
                    pair_ids = pair_ids[:-remove]
            return {"input_ids": ids + pair_ids}
        PreTrainedTokenizerBase.prepare_for_model = prepare_for_model
    from transformers import AutoModelForCausalLM, PreTrainedModel
    original = AutoModelForCausalLM.from_pretrained.__func__

    def from_pretrained(cls, *a, **k):
        k.pop("device_map", None)  # accelerate is absent
        return original(cls, *a, **k)
    AutoModelForCausalLM.from_pretrained = classmethod(from_pretrained)
    # MonoVLMRanker loads Qwen2VLForConditionalGeneration directly, with a device_map too
    original_pm = PreTrainedModel.from_pretrained.__func__

    def pm_from_pretrained(cls, *a, **k):
        k.pop("device_map", None)
        return original_pm(cls, *a, **k)
    PreTrainedModel.from_pretrained = classmethod(pm_from_pretrained)


def build():
    """A callable rank(query, docs) for the family."""
    if family in ("cross-encoder", "t5", "upr", "colbert", "mxbaiv2", "llm-layerwise", "monovlm"):
        transformers5_shims()
    if family == "cross-encoder":
        from rerankers.models.transformer_ranker import TransformerRanker
        r = TransformerRanker(model, verbose=0, device="cpu", dtype=torch.float32, batch_size=batch)
        return lambda q, d: r.rank(q, d)
    if family == "t5":
        from rerankers.models.t5ranker import T5Ranker
        r = T5Ranker(model, verbose=0, device="cpu", dtype=torch.float32, batch_size=batch)
        return lambda q, d: r.rank(q, d)
    if family == "upr":
        import transformers
        from rerankers.models import upr
        upr.T5Tokenizer = transformers.AutoTokenizer  # no spiece.model in the folder: the same ids, fast
        r = upr.UPRRanker(model, verbose=0, device="cpu", dtype=torch.float32, batch_size=batch)
        return lambda q, d: r.rank(q, d)
    if family == "colbert":
        from rerankers.models import colbert_ranker as cr
        from transformers import PreTrainedModel
        original = PreTrainedModel.init_weights

        def init_weights(self):
            if getattr(self, "_shim_in_post_init", False):
                return original(self)
            self._shim_in_post_init = True
            try:
                self.post_init()
            finally:
                self._shim_in_post_init = False
        cr.ColBERTModel.init_weights = init_weights
        r = cr.ColBERTRanker(model, verbose=0, device="cpu", dtype=torch.float32, batch_size=batch)
        return lambda q, d: r.rank(q, d)
    if family == "mxbaiv2":
        from rerankers.models.mxbai_v2 import MxBaiV2Ranker
        r = MxBaiV2Ranker(model, verbose=0, device="cpu", dtype=torch.float32, batch_size=batch)
        return lambda q, d: r.rank(q, d)
    if family == "llm-layerwise":
        import baai_minicpm
        if baai_minicpm.is_remote(model):  # BAAI's LayerWiseMiniCPMForCausalLM (remote code in the folder)
            baai_minicpm.install(model)
        from rerankers.models.llm_layerwise_ranker import LLMLayerWiseRanker
        # cutoff_layers: the row's, where the folder's name cannot select Python rerankers' DEFAULT_PARAMS
        r = LLMLayerWiseRanker(model, verbose=0, device="cpu", dtype=torch.float32, batch_size=batch,
                               cutoff_layers=spec.get("cutoff_layers"))
        return lambda q, d: r.rank(q, d)
    if family == "qwen3-reranker":
        return qwen3()
    if family == "monovlm":
        from rerankers.models.monovlm_ranker import MonoVLMRanker
        from rerankers.documents import Document
        import base64
        r = MonoVLMRanker(model, processor_name=model, verbose=0, device="cpu", dtype=torch.float32, batch_size=1,
                          attention_implementation="sdpa")
        cache = {}

        def docs_of(paths):
            out = []
            for p in paths:
                if p not in cache:
                    cache[p] = base64.b64encode(open(p, "rb").read()).decode()
                out.append(Document(base64=cache[p], document_type="image", doc_id=len(out)))
            return out
        return lambda q, d: r.rank(q, docs_of(d))
    if family == "flashrank":
        return flashrank()
    if family == "dense":
        return dense()
    raise SystemExit("unknown family " + family)


def qwen3():
    """Qwen3-Reranker's model card code (transformers), batches of `batch` in input order."""
    import transformers
    from transformers import AutoModelForCausalLM, AutoTokenizer
    versions["transformers"] = transformers.__version__
    tok = AutoTokenizer.from_pretrained(model, padding_side="left")
    lm = AutoModelForCausalLM.from_pretrained(model, dtype=torch.float32).eval()
    yes, no = tok.convert_tokens_to_ids("yes"), tok.convert_tokens_to_ids("no")
    max_length = 8192
    prefix = ("<|im_start|>system\nJudge whether the Document meets the requirements based on the Query and the "
              "Instruct provided. Note that the answer can only be \"yes\" or \"no\".<|im_end|>\n<|im_start|>user\n")
    suffix = "<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n"
    prefix_ids = tok.encode(prefix, add_special_tokens=False)
    suffix_ids = tok.encode(suffix, add_special_tokens=False)
    task = "Given a web search query, retrieve relevant passages that answer the query"

    @torch.no_grad()
    def rank(q, docs):
        scores = []
        for i in range(0, len(docs), batch):
            pairs = [f"<Instruct>: {task}\n<Query>: {q}\n<Document>: {d}" for d in docs[i:i + batch]]
            inputs = tok(pairs, padding=False, truncation="longest_first", return_attention_mask=False,
                         max_length=max_length - len(prefix_ids) - len(suffix_ids))
            for j, ele in enumerate(inputs["input_ids"]):
                inputs["input_ids"][j] = prefix_ids + ele + suffix_ids
            inputs = tok.pad(inputs, padding=True, return_tensors="pt", max_length=max_length)
            logits = lm(**inputs).logits[:, -1, :]
            pair = torch.nn.functional.log_softmax(torch.stack([logits[:, no], logits[:, yes]], dim=1), dim=1)
            scores.extend(pair[:, 1].exp().tolist())
        return sorted(range(len(docs)), key=lambda k: -scores[k])
    return rank


def flashrank():
    """FlashRank 0.2's Ranker steps with tokenizers + onnxruntime + numpy: one batch per query, padded to
    its longest pair, truncation at 512, sigmoid of the logit."""
    import numpy as np
    import onnxruntime as ort
    import tokenizers
    from tokenizers import AddedToken, Tokenizer
    versions.update({"onnxruntime": ort.__version__, "tokenizers": tokenizers.__version__})
    cfg = json.load(open(os.path.join(model, "config.json")))
    tcfg = json.load(open(os.path.join(model, "tokenizer_config.json")))
    smap = json.load(open(os.path.join(model, "special_tokens_map.json")))
    tok = Tokenizer.from_file(os.path.join(model, "tokenizer.json"))
    tok.enable_truncation(max_length=min(tcfg["model_max_length"], 512))
    tok.enable_padding(pad_id=cfg["pad_token_id"], pad_token=tcfg["pad_token"])
    for t in smap.values():
        tok.add_special_tokens([t] if isinstance(t, str) else [AddedToken(**t)])
    so = ort.SessionOptions()
    so.intra_op_num_threads = threads
    so.inter_op_num_threads = 1
    session = ort.InferenceSession(os.path.join(model, spec["onnx_file"]), so, providers=["CPUExecutionProvider"])

    def rank(q, docs):
        passages = [{"id": i, "text": d} for i, d in enumerate(docs)]
        enc = tok.encode_batch([[q, p["text"]] for p in passages])
        ids = np.array([e.ids for e in enc])
        types = np.array([e.type_ids for e in enc])
        mask = np.array([e.attention_mask for e in enc])
        feeds = {"input_ids": ids.astype(np.int64), "attention_mask": mask.astype(np.int64)}
        if not np.all(types == 0):
            feeds["token_type_ids"] = types.astype(np.int64)
        logits = session.run(None, feeds)[0]
        scores = 1 / (1 + np.exp(-logits.flatten()))
        for s, p in zip(scores, passages):
            p["score"] = s
        passages.sort(key=lambda x: x["score"], reverse=True)
        return passages
    return rank


def dense():
    """A sentence-transformers-style bi-encoder on the same all-MiniLM-L6-v2 weights: AutoModel, mean
    pooling over the attention mask, L2 normalisation, cosine; documents in batches of `batch` (ST's
    encode batches of 32 by default; here the Java side's), no cache (ST has none)."""
    import transformers
    from transformers import AutoModel, AutoTokenizer
    versions["transformers"] = transformers.__version__
    tok = AutoTokenizer.from_pretrained(model)
    enc_model = AutoModel.from_pretrained(model, dtype=torch.float32).eval()

    @torch.inference_mode()
    def encode(texts):
        out = []
        for i in range(0, len(texts), batch):
            t = tok(texts[i:i + batch], padding=True, truncation=True, max_length=256, return_tensors="pt")
            h = enc_model(**t).last_hidden_state
            m = t["attention_mask"].unsqueeze(-1).to(h.dtype)
            v = (h * m).sum(1) / m.sum(1).clamp(min=1e-9)
            out.append(torch.nn.functional.normalize(v, dim=-1))
        return torch.cat(out)

    def rank(q, docs):
        s = (encode([q]) @ encode(docs).T)[0]
        return torch.argsort(s, descending=True).tolist()
    return rank


rank = build()
loaded_at = since_start()
first = work["first"]
rank(first["query"], first["docs"])
ttfr = since_start()
result = {"family": family, "ttfr_s": ttfr, "imported_at_s": imported_at, "loaded_at_s": loaded_at,
          "threads": torch.get_num_threads(), "versions": versions, "sets": {}}
for name in spec.get("sets", ["varied", "uniform"]):
    cases = work["sets"][name]
    pairs = sum(len(c["docs"]) for c in cases)
    best = None
    for _ in range(int(spec.get("repeats", 1))):
        t0 = time.perf_counter()
        for c in cases:
            rank(c["query"], c["docs"])
        dt = time.perf_counter() - t0
        best = dt if best is None else min(best, dt)
    result["sets"][name] = {"pairs": pairs, "seconds": best, "pairs_per_s": pairs / best}
result["rss_peak_mb"] = peak_rss_mb()
json.dump(result, open(out_path, "w"), indent=1)
print("RESULT " + json.dumps(result))
