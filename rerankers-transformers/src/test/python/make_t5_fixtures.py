"""Generates the T5 fixtures of rerankers-transformers that ../shared does not provide.

Run from the repository root with the project's Python reference chroot:

    ../shared/tools/pyref run rerankers-transformers/src/test/python/make_t5_fixtures.py RERANKERS_SRC

RERANKERS_SRC is a checkout of AnswerDotAI/rerankers (e.g. `git archive` of the mirrored commit
7bb252179daaf1968eb9d49629c9cf48b0f9b5f2 unpacked somewhere under the current directory or /tmp).

Writes, under rerankers-transformers/src/test/resources/:

golden/t5_relative_buckets.json  T5Attention._relative_position_bucket for relative positions -300..300,
                               bidirectional and causal, four (num_buckets, max_distance) settings.

golden/T5TeacherForced/        T5 v1.0 (ReLU FFN, tied lm_head, decoder output x d_model^-0.5) with a
                               Hub-like v4 config (no `scale_decoder_outputs`, no `tie_word_embeddings`:
                               the defaults must imply scaling), inner dim heads*d_kv = 48 != d_model 32,
                               8 buckets / max_distance 10 so that exact, log and clamped buckets all occur
                               in the encoder (lengths up to 31) and in the causal decoder (14 steps).
golden/T5v11TeacherForced/     T5 v1.1 / flan-T5 layout under T5ForConditionalGeneration: gated-gelu,
                               tie_word_embeddings false (separate lm_head, no scaling), 3 decoder layers
                               vs 2 encoder layers.
  expected.json: inputs (input_ids, attention_mask, labels, decoder_input_ids = labels shifted right
  behind decoder_start_token_id), outputs logits [B, Ld, V] (teacher-forced), logits_first_step [B, V]
  (decoder input [decoder_start_token_id] alone), encoder_last_hidden_state [B, L, d] (0 at padding),
  label_log_likelihood_sum [B] (sum over label positions of log_softmax(logits)[label], UPR's score).

e2e/upr/expected.json          The Python library's UPRRanker scores (Reranker(path, model_type='upr'))
                               on the golden-e2e t5 and t5-gated checkpoints (copied to e2e/t5, e2e/t5-gated)
                               for the SciFact cases of golden-e2e/t5/expected.json; a batch_size=3 variant
                               and a custom verbalizer variant.
e2e/t5-options/expected.json   The Python library's T5Ranker scores on e2e/t5 with a custom inputs_template,
                               with token_false/token_true = '▁no'/'▁yes', with return_logits, and with
                               batch_size=3.

CPU, 1 thread, float32, eager attention, seeded: a second run gives identical files.
"""

import json
import os
import shutil
import sys
import tempfile

import numpy as np
import torch
import transformers
from safetensors.torch import load_file, save_file
from transformers import T5Config, T5ForConditionalGeneration

torch.set_num_threads(1)
HERE = os.path.dirname(os.path.abspath(__file__))
RES = os.path.normpath(os.path.join(HERE, "..", "resources"))


def f32(x):
    """Nested lists of the shortest decimals that read back to the same float32."""
    a = np.asarray(x, dtype=np.float32)
    if a.ndim == 0:
        return float(str(np.float32(a)))
    return [f32(v) for v in a]


def dump(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=1)
        f.write("\n")


def init_weights(model, seed):
    """Matrices N(0, 1/fan_in), norm scales 1 + N(0, 0.1), embeddings and position biases N(0, 1): every tensor matters."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if name.endswith("layer_norm.weight"):
                p.copy_(1 + 0.1 * torch.randn(p.shape, generator=g))
            elif "relative_attention_bias" in name:
                p.copy_(torch.randn(p.shape, generator=g))
            elif name in ("shared.weight", "lm_head.weight"):
                p.copy_(torch.randn(p.shape, generator=g))
            else:
                p.copy_(torch.randn(p.shape, generator=g) / p.shape[1] ** 0.5)


def golden(name, config_kwargs, hub_config_edits, seed, lengths, label_len, note):
    out = os.path.join(RES, "golden", name)
    if os.path.isdir(out):
        shutil.rmtree(out)
    config = T5Config(attn_implementation="eager", **config_kwargs)
    model = T5ForConditionalGeneration(config).eval()
    init_weights(model, seed)
    if not config_kwargs.get("tie_word_embeddings", True):
        # independent head, as a v1.1 checkpoint has; N(0, 1/d_model) keeps the unscaled logits O(1)
        with torch.no_grad():
            g = torch.Generator().manual_seed(seed + 1)
            w = torch.randn(model.lm_head.weight.shape, generator=g) / model.config.d_model ** 0.5
            model.lm_head.weight = torch.nn.Parameter(w)
    with tempfile.TemporaryDirectory() as tmp:
        model.save_pretrained(tmp, safe_serialization=True)
        os.makedirs(out)
        shutil.copy(os.path.join(tmp, "model.safetensors"), out)
        with open(os.path.join(tmp, "config.json"), encoding="utf-8") as f:
            cfg = json.load(f)
    for key, value in hub_config_edits.items():
        if value is None:
            cfg.pop(key, None)
        else:
            cfg[key] = value
    dump(os.path.join(out, "config.json"), cfg)
    # reload exactly as a user would, to prove config.json + model.safetensors are all that matter
    model = T5ForConditionalGeneration.from_pretrained(out, attn_implementation="eager").eval()
    tensors = load_file(os.path.join(out, "model.safetensors"))
    for k, v in model.state_dict().items():
        if k in tensors:
            assert torch.equal(tensors[k], v), k
    g = torch.Generator().manual_seed(seed + 2)
    b, L = len(lengths), max(lengths)
    ids = torch.zeros((b, L), dtype=torch.long)
    mask = torch.zeros((b, L), dtype=torch.long)
    for i, n in enumerate(lengths):
        ids[i, : n - 1] = torch.randint(110, 900, (n - 1,), generator=g)
        ids[i, n - 1] = 1  # </s>
        mask[i, :n] = 1
    labels = torch.randint(110, 900, (b, label_len), generator=g)
    labels[:, -1] = 1
    start = model.config.decoder_start_token_id
    decoder_ids = model._shift_right(labels)
    with torch.no_grad():
        full = model(input_ids=ids, attention_mask=mask, labels=labels)
        first = model(input_ids=ids, attention_mask=mask, decoder_input_ids=torch.full((b, 1), start))
        enc = model.get_encoder()(input_ids=ids, attention_mask=mask).last_hidden_state
    enc = enc * mask.unsqueeze(-1)
    logp = torch.log_softmax(full.logits, dim=-1).gather(-1, labels.unsqueeze(-1)).squeeze(-1).sum(dim=1)
    expected = {
        "architecture": "T5ForConditionalGeneration",
        "note": note,
        "transformers_version": transformers.__version__,
        "torch_version": torch.__version__,
        "dtype": "float32",
        "scale_decoder_outputs_in_transformers": bool(model.config.scale_decoder_outputs),
        "lengths": lengths,
        "shapes": {
            "input_ids": [b, L],
            "labels": [b, label_len],
            "logits": list(full.logits.shape),
            "logits_first_step": [b, full.logits.shape[-1]],
            "encoder_last_hidden_state": list(enc.shape),
            "label_log_likelihood_sum": [b],
        },
        "inputs": {
            "input_ids": ids.tolist(),
            "attention_mask": mask.tolist(),
            "labels": labels.tolist(),
            "decoder_input_ids": decoder_ids.tolist(),
        },
        "outputs": {
            "logits": f32(full.logits),
            "logits_first_step": f32(first.logits[:, 0, :]),
            "encoder_last_hidden_state": f32(enc),
            "label_log_likelihood_sum": f32(logp),
        },
    }
    dump(os.path.join(out, "expected.json"), expected)
    print("wrote", out)


def buckets():
    """transformers' own bucket function over a range of relative positions, for a few settings."""
    from transformers.models.t5.modeling_t5 import T5Attention

    rel = torch.arange(-300, 301)
    out = {"relative_positions": rel.tolist(), "settings": []}
    for bidirectional in (True, False):
        for num_buckets, max_distance in ((32, 128), (16, 32), (8, 10), (32, 64)):
            b = T5Attention._relative_position_bucket(rel, bidirectional=bidirectional, num_buckets=num_buckets,
                                                      max_distance=max_distance)
            out["settings"].append({"bidirectional": bidirectional, "num_buckets": num_buckets,
                                    "max_distance": max_distance, "buckets": b.tolist()})
    dump(os.path.join(RES, "golden", "t5_relative_buckets.json"), out)


def scifact_cases():
    with open(os.path.join(RES, "e2e", "t5", "expected.json"), encoding="utf-8") as f:
        e = json.load(f)
    return [{k: c[k] for k in ("query_id", "query", "docs", "doc_ids")} for c in e["cases"]]


def run_cases(ranker, cases):
    out = []
    for c in cases:
        r = ranker.rank(c["query"], c["docs"], doc_ids=c["doc_ids"])
        by_id = {res.document.doc_id: res.score for res in r.results}
        out.append({
            "query_id": c["query_id"],
            "scores_in_input_order": f32([by_id[d] for d in c["doc_ids"]]),
            "ranking": [res.document.doc_id for res in r.results],
        })
    return out


def e2e(rerankers_src):
    sys.path.insert(0, rerankers_src)
    from rerankers import Reranker

    cases = scifact_cases()
    common = {"verbose": 0, "device": "cpu", "dtype": torch.float32}

    def ranker(folder, **kw):
        # an absolute path: never in the PREDICTION_TOKENS table, as in golden-e2e
        return Reranker(os.path.join(RES, "e2e", folder), **common, **kw)

    upr = {"generator": "make_t5_fixtures.py", "python_class": "UPRRanker",
           "rerankers_call": "Reranker(<abs path of e2e/MODEL>, model_type='upr', verbose=0, device='cpu', dtype=torch.float32, **kwargs)",
           "score_semantics": "sum over the query's tokens (</s> included) of log P(token | 'Passage: {doc}. Please write a question based on this passage.'), teacher-forced; encoder input truncated to 512, query to 128",
           "cases": cases, "runs": []}
    for model in ("t5", "t5-gated"):
        for kw in ({}, {"batch_size": 3}, {"verbalizer_head": "Text:", "verbalizer": "Ask about it."}):
            r = ranker(model, model_type="upr", **kw)
            upr["runs"].append({"model": model, "kwargs": kw, "results": run_cases(r, cases)})
    dump(os.path.join(RES, "e2e", "upr", "expected.json"), upr)

    opts = {"generator": "make_t5_fixtures.py", "python_class": "T5Ranker", "model": "t5", "cases": cases, "runs": []}
    for kw in ({"inputs_template": "Question: {query} Passage: {text} Is it relevant?"},
               {"token_false": "▁no", "token_true": "▁yes"},
               {"token_false": "▁no", "token_true": "▁yes", "return_logits": True},
               {"batch_size": 3}):
        r = ranker("t5", model_type="t5", **kw)
        opts["runs"].append({"kwargs": kw, "token_false_id": r.token_false_id, "token_true_id": r.token_true_id,
                             "results": run_cases(r, cases)})
    dump(os.path.join(RES, "e2e", "t5-options", "expected.json"), opts)
    print("wrote e2e/upr and e2e/t5-options")


if __name__ == "__main__":
    buckets()
    golden("T5TeacherForced",
           dict(vocab_size=1000, d_model=32, d_kv=12, d_ff=48, num_layers=2, num_decoder_layers=2, num_heads=4,
                relative_attention_num_buckets=8, relative_attention_max_distance=10, dropout_rate=0.0,
                feed_forward_proj="relu", decoder_start_token_id=0, pad_token_id=0, eos_token_id=1),
           {"scale_decoder_outputs": None, "tie_word_embeddings": None, "dtype": None, "transformers_version": None},
           seed=5101, lengths=[31, 17, 6], label_len=14,
           note="T5 v1.0: ReLU FFN, tied lm_head (only shared.weight stored), decoder output x d_model^-0.5 implied by a "
                "v4-style config without scale_decoder_outputs/tie_word_embeddings; heads*d_kv=48 != d_model=32")
    golden("T5v11TeacherForced",
           dict(vocab_size=1000, d_model=32, d_kv=8, d_ff=40, num_layers=2, num_decoder_layers=3, num_heads=4,
                relative_attention_num_buckets=16, relative_attention_max_distance=20, dropout_rate=0.0,
                feed_forward_proj="gated-gelu", tie_word_embeddings=False, decoder_start_token_id=0,
                pad_token_id=0, eos_token_id=1),
           {"scale_decoder_outputs": None, "tie_word_embeddings": False, "dtype": None, "transformers_version": None},
           seed=5202, lengths=[25, 12, 3], label_len=12,
           note="T5 v1.1 / flan-T5 layout: gated-gelu (tanh GELU), tie_word_embeddings false, separate lm_head, "
                "no output scaling; 3 decoder layers, 2 encoder layers")
    if len(sys.argv) > 1:
        e2e(sys.argv[1])
