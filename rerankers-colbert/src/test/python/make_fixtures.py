"""Fixtures for rerankers-colbert, made by the Python libraries themselves (run through gen.sh).

1. e2e/pylate-modernbert/  a PyLate checkpoint in the sentence-transformers layout (modules.json,
   1_Dense/, config_sentence_transformers.json) built by PyLate's own ColBERT class around a tiny
   seeded ModernBERT with the byte-level BPE tokenizer of golden-e2e/modernbert; expected.json holds
   the scores PyLate's own code gives (models.ColBERT.encode + rank.rerank, the calls rerankers'
   PyLateRanker makes).
2. e2e/pylate-stanford/    the golden-e2e colbert BERT checkpoint re-labelled HF_ColBERT with an
   artifact.metadata, loaded by PyLate's Stanford-NLP path (Dense.from_stanford_weights).
3. edge/colbert-edge.json  rerankers' own ColBERTRanker on e2e/colbert for edge cases: tiny and
   empty documents, queries of every length 1..40 words, documents at the truncation boundary.

PyLate and sentence-transformers are not packaged for pyref (Debian): their pinned sources run
from target/pysrc, with stub modules for scipy/sklearn/datasets/ujson/pandas, which the inference
path never calls (autostub.py: any call into a stub raises).
CPU, one thread, float32.
"""

import copy
import hashlib
import json
import math
import os
import shutil
import sys

SRC, RES, WHAT = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path.insert(0, SRC)
sys.path.insert(1, os.path.dirname(os.path.abspath(__file__)))
import autostub  # noqa: E402

autostub.install()

import torch  # noqa: E402

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)

VERSIONS = json.load(open(os.path.join(SRC, "versions.json")))
GOLDEN_COLBERT = os.path.join(SRC, "colbert")
MODERNBERT_TOKENIZER = os.path.join(SRC, "modernbert-tokenizer")


def f32(x):
    """float32 value as the shortest double that reads back to it."""
    return float(torch.tensor(x, dtype=torch.float32).item())


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        h.update(f.read())
    return h.hexdigest()


def files_sha(folder):
    out = {}
    for root, _, files in os.walk(folder):
        for name in sorted(files):
            if name == "expected.json":
                continue
            p = os.path.join(root, name)
            out[os.path.relpath(p, folder)] = sha256(p)
    return dict(sorted(out.items()))


def scifact_cases():
    e = json.load(open(os.path.join(GOLDEN_COLBERT, "expected.json")))
    return [{"query_id": c["query_id"], "query": c["query"], "docs": list(c["docs"]),
             "doc_ids": list(c["doc_ids"])} for c in e["cases"]]


def reinit(model, seed):
    """Seeded random weights like golden-e2e: matrices N(0, 0.2), norm scales N(1, 0.1), biases N(0, 0.05)."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.dim() >= 2:
                p.copy_(torch.randn(p.shape, generator=g) * 0.2)
            elif "norm" in name.lower() and name.endswith("weight"):
                p.copy_(1 + torch.randn(p.shape, generator=g) * 0.1)
            else:
                p.copy_(torch.randn(p.shape, generator=g) * 0.05)


# ---------------------------------------------------------------------------------------------
# PyLate
# ---------------------------------------------------------------------------------------------

def pylate_cases():
    cases = scifact_cases()
    # sentence-transformers strips texts: leading/trailing blanks change byte-level BPE tokens
    cases[0]["docs"][1] = "  \t" + cases[0]["docs"][1] + " \n"
    cases[1]["docs"] = cases[1]["docs"] + ["...", "", "a"]
    cases[1]["doc_ids"] = cases[1]["doc_ids"] + ["punctuation-only", "empty", "one-word"]
    long_query = " ".join(c["query"] for c in cases)  # longer than query_length: truncated
    cases.append({"query_id": "long", "query": long_query, "docs": cases[2]["docs"],
                  "doc_ids": cases[2]["doc_ids"]})
    return cases


def run_pylate(folder, cases, model_kwargs=None):
    from pylate import models, rank

    model = models.ColBERT(model_name_or_path=folder, device="cpu", **(model_kwargs or {}))
    model.eval()
    out = []
    for c in cases:
        # what rerankers' PyLateRanker.rank does, with the document ids it fails to pass
        d_emb = model.encode([c["docs"]], is_query=False)
        q_emb = model.encode([c["query"]], is_query=True)
        res = rank.rerank(documents_ids=[c["doc_ids"]], queries_embeddings=q_emb,
                          documents_embeddings=d_emb)[0]
        by_id = {r["id"]: r["score"] for r in res}
        nq = len(q_emb[0])
        raw = [f32(by_id[i]) for i in c["doc_ids"]]
        scores = [f32(by_id[i] / nq) for i in c["doc_ids"]]
        ranking = [r["id"] for r in res]
        gaps = sorted(scores, reverse=True)
        out.append({
            **c,
            "scores_in_input_order": scores,
            "raw_rerank_scores_in_input_order": raw,
            "num_query_vectors": nq,
            "document_vector_counts": [int(len(e)) for e in d_emb[0]],
            "ranking": ranking,
            "min_gap_between_sorted_scores": f32(min(a - b for a, b in zip(gaps, gaps[1:]))) if len(gaps) > 1 else None,
        })
    first = cases[0]
    qt = model.tokenize([first["query"]], is_query=True)
    docs_tok = []
    for d in first["docs"]:
        t = model.tokenize([d.strip()], is_query=False)
        docs_tok.append({"input_ids": t["input_ids"][0].tolist()})
    settings = {
        "query_prefix": model.query_prefix, "document_prefix": model.document_prefix,
        "query_prefix_id": model.query_prefix_id, "document_prefix_id": model.document_prefix_id,
        "query_length": model.query_length, "document_length": model.document_length,
        "do_query_expansion": model.do_query_expansion,
        "attend_to_expansion_tokens": model.attend_to_expansion_tokens,
        "pad_token_id_used_for_expansion": model.tokenizer.pad_token_id,
        "skiplist_words": model.skiplist_words, "skiplist_ids": [int(i) if i is not None else None for i in model.skiplist],
        "dense_layers": [{"in": m.in_features, "out": m.out_features, "bias": m.linear.bias is not None}
                         for m in list(model)[1:]],
        "modules": [type(m).__name__ for m in model],
    }
    tokenization = {
        "query_id": first["query_id"],
        "what": "PyLate model.tokenize for the first query (prefix inserted after the first token, expansion "
                "with the mask id, attention 0 on expansion unless attend_to_expansion_tokens) and its documents "
                "(stripped, prefix inserted; before the skiplist)",
        "query_input_ids": qt["input_ids"][0].tolist(),
        "query_attention_mask": qt["attention_mask"][0].tolist(),
        "docs": docs_tok,
    }
    return out, settings, tokenization


def write_expected(folder, payload):
    payload["files_sha256"] = files_sha(folder)
    with open(os.path.join(folder, "expected.json"), "w") as f:
        json.dump(payload, f, indent=1, ensure_ascii=False)
        f.write("\n")


def provenance():
    import sentence_transformers
    import tokenizers
    import transformers
    return {"pylate_commit": VERSIONS["pylate"], "pylate_version": __import__("pylate").__version__,
            "sentence_transformers_commit": VERSIONS["sentence_transformers"],
            "sentence_transformers_version": sentence_transformers.__version__,
            "rerankers_commit": VERSIONS["rerankers"],
            "transformers": transformers.__version__, "torch": torch.__version__,
            "tokenizers": tokenizers.__version__, "python": sys.version.split()[0],
            "device": "cpu", "dtype": "float32", "torch_threads": 1,
            "generator": "rerankers-colbert/src/test/python/make_fixtures.py (gen.sh)",
            "stubs": "autostub.py stands in for " + ", ".join(autostub.STUBBED)
                     + " (not packaged in pyref; never called on this path)"}


def make_pylate_modernbert():
    from pylate import models
    from transformers import AutoTokenizer, ModernBertConfig, ModernBertModel

    out = os.path.join(RES, "e2e", "pylate-modernbert")
    base = os.path.join(SRC, "pylate-base-modernbert")
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(base, ignore_errors=True)
    os.makedirs(base)
    tok = AutoTokenizer.from_pretrained(MODERNBERT_TOKENIZER)
    cfg = ModernBertConfig(
        vocab_size=len(tok), hidden_size=32, intermediate_size=64, num_hidden_layers=3,
        num_attention_heads=4, max_position_embeddings=512, local_attention=16,
        global_attn_every_n_layers=2, pad_token_id=tok.pad_token_id, bos_token_id=tok.cls_token_id,
        eos_token_id=tok.sep_token_id, cls_token_id=tok.cls_token_id, sep_token_id=tok.sep_token_id,
        global_rope_theta=160000.0, local_rope_theta=10000.0, attention_dropout=0.0,
        embedding_dropout=0.0, mlp_dropout=0.0)
    torch.manual_seed(20250601)
    m = ModernBertModel(cfg)
    reinit(m, 20250601)
    m.save_pretrained(base)
    tok.save_pretrained(base)
    # PyLate's own constructor: adds the [Q]/[D] prefix tokens (resizing the embeddings) and a
    # seeded bias-free Dense 32 -> 48; save() writes the sentence-transformers layout
    torch.manual_seed(7)
    pl = models.ColBERT(model_name_or_path=base, device="cpu", embedding_size=48,
                        query_length=24, document_length=64)
    pl.save(out)
    for junk in ("README.md",):
        if os.path.exists(os.path.join(out, junk)):
            os.remove(os.path.join(out, junk))
    cases = pylate_cases()
    results, settings, tokenization = run_pylate(out, cases)
    write_expected(out, {
        "case": "pylate-modernbert",
        "model_type": "pylate",
        "what": "PyLate ColBERT (sentence-transformers layout) on a tiny seeded ModernBERT; scores are "
                "PyLate's rank.rerank score divided by the number of query vectors, as rerankers' "
                "PyLateRanker reports them (its rank() then mis-assigns them to documents; ids here are "
                "mapped back correctly)",
        "pylate_call": "models.ColBERT(folder, device='cpu'); encode([[docs]], is_query=False); "
                       "encode([query], is_query=True); rank.rerank(documents_ids=[ids], ...)",
        "score_semantics": "sum over query vectors (expansion tokens included) of the max dot product over the "
                           "document's vectors (skiplist tokens removed), documents zero-padded to the longest in "
                           "the candidate set (so a shorter document's max is at least 0), divided by the number "
                           "of query vectors",
        "settings": settings,
        "cases": results,
        "tokenization": tokenization,
        "model": {"init": "seeded: matrices N(0, 0.2), norm scales N(1, 0.1), biases N(0, 0.05); Dense by PyLate "
                          "(torch.manual_seed(7)); prefix token rows by transformers' resize_token_embeddings",
                  "seed": 20250601},
        "provenance": provenance(),
    })
    print("pylate-modernbert:", [c["scores_in_input_order"][:3] for c in results])


def make_pylate_stanford():
    out = os.path.join(RES, "e2e", "pylate-stanford")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    for name in ("model.safetensors", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"):
        shutil.copy(os.path.join(GOLDEN_COLBERT, name), out)
    cfg = json.load(open(os.path.join(GOLDEN_COLBERT, "config.json")))
    cfg["architectures"] = ["HF_ColBERT"]
    with open(os.path.join(out, "config.json"), "w") as f:
        json.dump(cfg, f, indent=2)
    meta = {"query_token_id": "[unused0]", "doc_token_id": "[unused1]", "query_maxlen": 40,
            "doc_maxlen": 100, "attend_to_mask_tokens": True, "similarity": "cosine", "dim": 128}
    with open(os.path.join(out, "artifact.metadata"), "w") as f:
        json.dump(meta, f, indent=2)
    cases = pylate_cases()
    results, settings, tokenization = run_pylate(out, cases)
    write_expected(out, {
        "case": "pylate-stanford",
        "model_type": "pylate",
        "what": "PyLate loading a Stanford-NLP ColBERT folder (config architectures HF_ColBERT, encoder + "
                "linear.weight in model.safetensors, artifact.metadata with prefixes, lengths and "
                "attend_to_mask_tokens=true); weights are golden-e2e/colbert's",
        "pylate_call": "as pylate-modernbert",
        "score_semantics": "as pylate-modernbert",
        "settings": settings,
        "cases": results,
        "tokenization": tokenization,
        "provenance": provenance(),
    })
    print("pylate-stanford:", [c["scores_in_input_order"][:3] for c in results])


# ---------------------------------------------------------------------------------------------
# rerankers' ColBERTRanker edge cases
# ---------------------------------------------------------------------------------------------

def colbert_ranker(folder):
    from rerankers.models import colbert_ranker as cr

    # the golden-e2e shim: ColBERTModel.__init__ ends with init_weights() (pre-v5 idiom); transformers 5
    # needs post_init() to have run first
    from transformers import PreTrainedModel

    original = PreTrainedModel.init_weights

    def init_weights(self):
        if getattr(self, "_shim_in_post_init", False):
            return original(self)  # post_init's own call
        self._shim_in_post_init = True
        try:
            self.post_init()
        finally:
            self._shim_in_post_init = False

    cr.ColBERTModel.init_weights = init_weights
    return cr.ColBERTRanker(folder, verbose=0, device="cpu", dtype=torch.float32)


def make_colbert_edge():
    folder = GOLDEN_COLBERT
    ranker = colbert_ranker(folder)
    tok = ranker.tokenizer
    cases = scifact_cases()
    long_doc = max((d for c in cases for d in c["docs"]), key=len)
    words = long_doc.split()

    def n_tokens(text):
        return len(tok.encode(text, max_length=ranker.doc_max_length, truncation=True))

    def words_with_tokens(target):
        """The longest word prefix of the long document within target tokens, topped up with ' a' (one token)."""
        k = max(k for k in range(1, len(words)) if n_tokens(" ".join(words[:k])) <= target)
        text = " ".join(words[:k])
        text += " a" * (target - n_tokens(text))
        assert n_tokens(text) == target, (target, n_tokens(text))
        return text

    doc64 = words_with_tokens(64)
    doc32 = words_with_tokens(32)
    doc100 = words_with_tokens(100)
    sets = []

    def add(name, query, docs, note):
        scores = ranker._colbert_rank(query, docs)
        q = ranker._query_encode([query])
        d = ranker._document_encode(docs)
        sets.append({
            "name": name, "note": note, "query": query, "docs": docs,
            "scores_in_input_order": [f32(s) for s in scores],
            "query_input_ids": q["input_ids"][0].tolist(),
            "query_attention_mask": q["attention_mask"][0].tolist(),
            "doc_real_lengths": [int(x) for x in d["attention_mask"].sum(-1).tolist()],
        })

    q0 = cases[0]["query"]
    add("tiny-and-empty", q0, ["vitamin", "a", "", "   ", "\u0301\u0301", "..."] + cases[0]["docs"][:2],
        "one-token documents, an empty one, blanks only, combining accents only (empty after normalisation), "
        "punctuation only, next to normal documents")
    add("only-empty", q0, ["", " "], "nothing but empty documents: every document is [CLS] [unused1] [SEP]")
    add("one-token-alone", q0, ["vitamin"], "a single one-token document (document length 32 floor)")
    add("boundary-64-alone", q0, [doc64],
        "a 64-token document alone: max_length = 64, truncated to 63 then [unused1] -> loses its last word piece")
    add("boundary-64-with-100", q0, [doc64, doc100],
        "the same document next to a 100-token one: max_length = 128, nothing truncated")
    add("boundary-32-alone", q0, [doc32], "a 32-token document alone: truncated to 31 + [unused1]")
    add("boundary-32-with-64", q0, [doc32, doc64], "with a 64-token document: 32 kept, the 64 one truncated")
    add("long-doc", q0, [long_doc, "short"], "a document over 510 tokens: truncated to 509 + [unused1]")
    qwords = (" ".join(c["query"] for c in cases)).split()
    docs = cases[1]["docs"][:3] + ["a"]
    for k in range(1, 41):
        add(f"query-{k}-words", " ".join(qwords[:k]), docs,
            "dynamic query length: [MASK] padding to len+8 when len % 16 <= 8, else to the next multiple of 16; "
            "queries longer than ColBERT's classic 32 are not truncated")
    out = os.path.join(RES, "edge")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "colbert-edge.json"), "w") as f:
        json.dump({
            "what": "rerankers' ColBERTRanker._colbert_rank (the scores rank() sorts) on e2e/colbert for edge cases",
            "ranker_call": "ColBERTRanker(<e2e/colbert>, verbose=0, device='cpu', dtype=torch.float32)",
            "model_files_sha256": files_sha(folder),
            "doc_max_length": ranker.doc_max_length,
            "sets": sets,
            "provenance": provenance(),
        }, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print("colbert-edge:", len(sets), "sets")


if __name__ == "__main__":
    if WHAT in ("all", "pylate"):
        make_pylate_modernbert()
        make_pylate_stanford()
    if WHAT in ("all", "edge"):
        make_colbert_edge()
