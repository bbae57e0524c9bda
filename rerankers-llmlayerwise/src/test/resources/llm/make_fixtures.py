"""Reference fixtures for rerankers-llmlayerwise's tests.

Run with ../shared/tools/pyref (transformers 5, torch, tokenizers; CPU, fp32, 1 thread):

    cd rerankers-llmlayerwise/src/test/resources && ../../../../../shared/tools/pyref run llm/make_fixtures.py

It writes one folder per ranker, each a tiny random-weight checkpoint with a real byte-level BPE
tokenizer (the mxbaiv2 golden-e2e tokenizer, learnt on SciFact, plus the special tokens each
model family needs) and `expected.json` with the reference scores for SciFact queries/documents:

- bge-reranker-v2-gemma                 GemmaForCausalLM, FlagEmbedding's FlagLLMReranker scoring:
                                        logit of tokenizer("Yes")[0] at the last real token
- bge-reranker-v2.5-gemma2-lightweight  BAAI's CostWiseGemmaForCausalLM (layer_wise, 42 layers,
                                        start_layer 8, layer_sep 1): per-layer heads, cutoff layers,
                                        token compression; Python rerankers' default parameters
- bge-reranker-v2-minicpm-layerwise     BAAI's LayerWiseMiniCPMForCausalLM (40 layers, start_layer 8,
                                        simple multi heads, scale_emb/scale_depth, dynamic rope)
- qwen3-reranker                        Qwen3ForCausalLM with the model card's prompt, P(yes)

BAAI's modelling code is not part of transformers. The references below are written here from
FlagEmbedding's published source (inference/reranker/decoder_only: base.py, lightweight.py,
layerwise.py, models/gemma_model.py, models/modeling_minicpm_reranker.py, commit 7ed43d6): the
Gemma2 layers, norms and rotary embeddings are transformers' own modules; the layer loop with
cutoff capture and token compression, and the whole MiniCPM decoder, are re-implemented. Each is
checked against transformers where an equivalent exists (Gemma2Model with no cutoff/compression;
LlamaModel for MiniCPM with neutral scales).

The BGE prompt follows Python rerankers' LLMLayerWiseRanker._get_inputs (max_sequence_length
512): [bos] + ids("A: q")[:384], ids("\\n") + ids("B: p")[:512] cut from its end so the pair fits
512, then ids("\\n") + ids(prompt); right padding to a multiple of 8. Scores are read at each row's
last real token (FlagEmbedding's last_logit_pool), and compression gets FlagEmbedding's
query_lengths = |[bos] + q + \\n| and prompt_lengths = |\\n + prompt|.
"""

import copy
import json
import math
import os
import shutil
import sys

import torch
from safetensors.torch import save_file
from tokenizers import Tokenizer
import transformers
from transformers import (AutoTokenizer, Gemma2Config, Gemma2ForCausalLM, GemmaConfig,
                          GemmaForCausalLM, LlamaConfig, LlamaModel, Qwen3Config, Qwen3ForCausalLM)

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)
HERE = os.path.dirname(os.path.abspath(__file__))
E2E = os.path.join(HERE, "..", "e2e", "mxbaiv2")  # the golden-e2e mxbaiv2 fixture copied into this module
BGE_PROMPT = ("Given a query A and a passage B, determine whether the passage contains an answer to the query "
              "by providing a prediction of either 'Yes' or 'No'.")
VOCAB = 3008


def f32(x):
    """Shortest decimal that reads back to the same float32."""
    v = float(x)
    for digits in range(6, 18):
        s = float(f"{v:.{digits}g}")
        if torch.tensor(s, dtype=torch.float32).item() == v:
            return s
    return v


# ---------------------------------------------------------------- tokenizers

def make_tokenizer(folder, kind):
    """The mxbaiv2 golden tokenizer plus the tokens a family needs."""
    tj = json.load(open(os.path.join(E2E, "tokenizer.json")))
    added = tj["added_tokens"]
    nxt = 3003

    def add(content, special):
        nonlocal nxt
        added.append({"id": nxt, "content": content, "single_word": False, "lstrip": False, "rstrip": False,
                      "normalized": not special, "special": special})
        nxt += 1

    if kind == "bge":
        add("<bos>", True)
        cfg = {"tokenizer_class": "PreTrainedTokenizerFast", "bos_token": "<bos>", "eos_token": "<|endoftext|>",
               "pad_token": "<|endoftext|>", "unk_token": "<|endoftext|>", "model_max_length": 8192,
               "padding_side": "right"}
    else:  # qwen3: yes/no as plain vocabulary entries (Qwen3 has them), <think> tags as added tokens
        # the model vocabulary must stay contiguous (tokenizers renumbers added tokens otherwise):
        # yes/no take 3000/3001 and the existing added tokens move up by two
        vocab = tj["model"]["vocab"]
        assert len(vocab) == 3000 and max(vocab.values()) == 2999
        vocab["yes"], vocab["no"] = 3000, 3001
        for a in added:
            a["id"] += 2
        nxt += 2
        add("<think>", False)
        add("</think>", False)
        cfg = {"tokenizer_class": "Qwen2Tokenizer", "bos_token": None, "eos_token": "<|im_end|>",
               "pad_token": "<|endoftext|>", "unk_token": None, "model_max_length": 131072,
               "extra_special_tokens": ["<|im_start|>", "<|im_end|>"], "padding_side": "left"}
    assert nxt <= VOCAB
    json.dump(tj, open(os.path.join(folder, "tokenizer.json"), "w"), ensure_ascii=False)
    json.dump(cfg, open(os.path.join(folder, "tokenizer_config.json"), "w"), indent=1)
    return Tokenizer.from_file(os.path.join(folder, "tokenizer.json"))


def ids(tok, text):
    return tok.encode(text, add_special_tokens=False).ids


def bge_prompt(tok, bos, query, passage, prompt=BGE_PROMPT, max_len=512):
    """Python rerankers' _get_inputs for one pair; also FlagEmbedding's compression lengths."""
    sep = ids(tok, "\n")
    first = [bos] + ids(tok, f"A: {query}")[: max_len * 3 // 4]
    second = sep + ids(tok, f"B: {passage}")[:max_len]
    remove = len(first) + len(second) - max_len
    if remove > 0 and len(second) > remove:  # transformers 4 prepare_for_model, truncation="only_second"
        second = second[:-remove]
    p = ids(tok, prompt)
    full = first + second + sep + p
    return full, min(len(first) + len(sep), len(first) + len(second)), len(sep) + len(p)


def pad(rows, pad_id, left, multiple):
    n = max(len(r) for r in rows)
    if multiple > 1 and n % multiple:
        n += multiple - n % multiple
    input_ids, mask = [], []
    for r in rows:
        fill = [pad_id] * (n - len(r))
        input_ids.append(fill + r if left else r + fill)
        mask.append([0] * len(fill) + [1] * len(r) if left else [1] * len(r) + [0] * len(fill))
    return torch.tensor(input_ids), torch.tensor(mask)


# ---------------------------------------------------------------- weights

def randomize(model, gemma_norms):
    g = torch.Generator().manual_seed(1234)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "norm" in name:
                base = 0.0 if gemma_norms else 1.0
                p.copy_(base + 0.1 * torch.randn(p.shape, generator=g))
            elif name.endswith("bias"):
                p.copy_(0.1 * torch.randn(p.shape, generator=g))
            elif p.dim() == 2 and "embed" in name:
                p.copy_(torch.randn(p.shape, generator=g))
            else:
                p.copy_(torch.randn(p.shape, generator=g) / math.sqrt(p.shape[-1]))


def cases():
    exp = json.load(open(os.path.join(E2E, "expected.json")))
    out = []
    for c in exp["cases"][:2]:
        out.append({"query_id": c["query_id"], "query": c["query"], "docs": c["docs"], "doc_ids": c["doc_ids"]})
    return out


def prompt_checks(tok, build):
    """Hand-checkable prompts: short texts, the decoded prompt next to its ids."""
    out = []
    for q, d, kw in [("What is BRCA1?", "BRCA1 is a human tumor suppressor gene.", {}),
                     ("Does smoking cause cancer?", "Tobacco smoke contains carcinogens that damage DNA.", {}),
                     ("TNF-α and sepsis", "A long passage about cytokines, TNF-α and the innate immune response.",
                      {"max_len": 16})]:
        p = build(q, d, **kw)
        full = p[0] if isinstance(p, tuple) else p
        out.append({"query": q, "document": d, "max_length": kw.get("max_len"), "input_ids": full,
                    "text": tok.decode(full, skip_special_tokens=False),
                    "query_length": p[1] if isinstance(p, tuple) else None,
                    "prompt_length": p[2] if isinstance(p, tuple) else None})
    return out


def min_gap(scores):
    s = sorted(scores)
    return min((b - a for a, b in zip(s, s[1:])), default=float("inf"))


def write(folder, expected, state, config):
    save_file({k: v.contiguous() for k, v in state.items()}, os.path.join(folder, "model.safetensors"),
              metadata={"format": "pt"})
    json.dump(config, open(os.path.join(folder, "config.json"), "w"), indent=1)
    expected["provenance"] = {"transformers": transformers.__version__, "torch": torch.__version__,
                              "python": sys.version.split()[0], "dtype": "float32", "threads": 1,
                              "generator": "make_fixtures.py"}
    json.dump(expected, open(os.path.join(folder, "expected.json"), "w"), indent=1, ensure_ascii=False)


def fresh(name):
    folder = os.path.join(HERE, name)
    if os.path.exists(folder):
        shutil.rmtree(folder)
    os.makedirs(folder)
    return folder


# ---------------------------------------------------------------- bge-reranker-v2-gemma

def bge_gemma():
    folder = fresh("bge-reranker-v2-gemma")
    tok = make_tokenizer(folder, "bge")
    bos, pad_id = tok.token_to_id("<bos>"), tok.token_to_id("<|endoftext|>")
    cfg = GemmaConfig(vocab_size=VOCAB, hidden_size=32, intermediate_size=64, num_hidden_layers=3,
                      num_attention_heads=4, num_key_value_heads=1, head_dim=16, max_position_embeddings=8192,
                      hidden_act="gelu_pytorch_tanh", bos_token_id=bos, pad_token_id=pad_id, eos_token_id=pad_id,
                      tie_word_embeddings=True, attn_implementation="eager")
    torch.manual_seed(0)
    model = GemmaForCausalLM(cfg).eval()
    randomize(model, gemma_norms=True)
    yes = ids(tok, "Yes")[0]  # FlagLLMReranker: tokenizer('Yes', add_special_tokens=False)['input_ids'][0]
    out = []
    with torch.no_grad():
        for c in cases():
            rows = [bge_prompt(tok, bos, c["query"], d)[0] for d in c["docs"]]
            x, m = pad(rows, pad_id, left=False, multiple=8)
            logits = model(input_ids=x, attention_mask=m).logits
            last = m.sum(1) - 1
            scores = [logits[i, last[i], yes].item() for i in range(len(rows))]
            alone = [model(input_ids=torch.tensor([r])).logits[0, -1, yes].item() for r in rows]
            assert max(abs(a - b) for a, b in zip(scores, alone)) < 1e-4
            out.append({**c, "scores_in_input_order": [f32(s) for s in scores],
                        "scores_each_pair_alone": [f32(s) for s in alone],
                        "prompt_token_counts": [len(r) for r in rows], "min_gap": f32(min_gap(scores))})
    expected = {"ranker": "llm-layerwise (plain causal LM)", "score": "logit of tokenizer('Yes')[0] at the last token",
                "yes_token_id": yes, "bos_token_id": bos, "cases": out,
                "prompts": prompt_checks(tok, lambda q, d, max_len=512: bge_prompt(tok, bos, q, d, max_len=max_len))}
    state = {k: v for k, v in model.state_dict().items() if k != "lm_head.weight"}
    config = json.loads(cfg.to_json_string())
    config["architectures"] = ["GemmaForCausalLM"]
    write(folder, expected, state, config)


# ---------------------------------------------------------------- BAAI token compression (re-implemented)

def compress(h, mask, query_lengths, prompt_lengths, ratio):
    """FlagEmbedding's token_compress: keep query and prompt states, average passage states in
    groups of `ratio` (the last group over what is left); rows zero-padded to the longest."""
    b, _, width = h.shape
    lengths = mask.sum(1).tolist()
    rows, new_lengths = [], []
    for i in range(b):
        q, pr = query_lengths[i], prompt_lengths[i]
        psg = lengths[i] - q - pr
        groups = [h[i, q + s: min(q + s + ratio, q + psg)].mean(0) for s in range(0, psg, ratio)]
        parts = [h[i, :q]] + ([torch.stack(groups)] if groups else []) + [h[i, q + psg: q + psg + pr]]
        rows.append(torch.cat(parts))
        new_lengths.append(rows[-1].shape[0])
    n = max(new_lengths)
    out = torch.zeros(b, n, width, dtype=h.dtype)
    new_mask = torch.zeros(b, n, dtype=mask.dtype)
    for i, r in enumerate(rows):
        out[i, : r.shape[0]] = r
        new_mask[i, : r.shape[0]] = 1
    return out, new_mask


def costwise_scores(model, heads, cfg, x, mask, cutoff_layers, compress_ratio, compress_layers, qlens, plens,
                    start_layer, layer_sep, softcap):
    """CostWiseGemmaModel/ForCausalLM.forward (layer_wise) + last_logit_pool_lightweight."""
    from transformers.masking_utils import create_causal_mask, create_sliding_window_causal_mask
    n_layers = cfg.num_hidden_layers
    usable = list(range(start_layer, n_layers + 1, layer_sep))
    cutoffs = [c for c in cutoff_layers if c in usable]
    max_layer = max(cutoffs)
    inner = model.model
    h = inner.embed_tokens(x)

    def prepare(h, mask):
        pos = torch.arange(h.shape[1]).unsqueeze(0)
        kw = dict(config=cfg, inputs_embeds=h, attention_mask=mask, past_key_values=None, position_ids=pos)
        masks = {"full_attention": create_causal_mask(**kw), "sliding_attention": create_sliding_window_causal_mask(**kw)}
        return pos, masks, inner.rotary_emb(h, pos)

    pos, masks, rope = prepare(h, mask)
    captured = []
    for idx, layer in enumerate(inner.layers):
        if idx in cutoffs:
            captured.append((inner.norm(h), mask))
        if idx == max_layer:
            break
        if compress_ratio not in (None, 1) and compress_layers and idx in compress_layers and idx != 0:
            h, mask = compress(h, mask, qlens, plens, compress_ratio)
            pos, masks, rope = prepare(h, mask)
        h = layer(h, attention_mask=masks[cfg.layer_types[idx]], position_embeddings=rope, position_ids=pos)
    if max_layer == n_layers:
        captured.append((inner.norm(h), mask))
    per_layer = []
    for i, (hs, m) in enumerate(captured):  # FlagEmbedding pairs the i-th captured layer with head i
        z = hs @ heads[i].T
        if softcap:
            z = torch.tanh(z / softcap) * softcap
        z = z.reshape(hs.shape[0], -1)
        last = m.sum(1) - 1
        per_layer.append([z[b, last[b]].item() for b in range(z.shape[0])])
    return per_layer[-1]


def lightweight():
    folder = fresh("bge-reranker-v2.5-gemma2-lightweight")
    tok = make_tokenizer(folder, "bge")
    bos, pad_id = tok.token_to_id("<bos>"), tok.token_to_id("<|endoftext|>")
    n_layers, start, sep = 42, 8, 1
    cfg = Gemma2Config(vocab_size=VOCAB, hidden_size=32, intermediate_size=64, num_hidden_layers=n_layers,
                       num_attention_heads=4, num_key_value_heads=2, head_dim=8, max_position_embeddings=8192,
                       hidden_activation="gelu_pytorch_tanh", query_pre_attn_scalar=12, sliding_window=128,
                       attn_logit_softcapping=50.0, final_logit_softcapping=5.0, bos_token_id=bos,
                       pad_token_id=pad_id, eos_token_id=pad_id, tie_word_embeddings=True,
                       attn_implementation="eager")
    torch.manual_seed(0)
    model = Gemma2ForCausalLM(cfg).eval()
    randomize(model, gemma_norms=True)
    g = torch.Generator().manual_seed(99)
    heads = [torch.randn(1, 32, generator=g) / math.sqrt(32) for _ in range(start, n_layers + 1, sep)]

    # the reference loop equals transformers' Gemma2Model when nothing is cut or compressed
    with torch.no_grad():
        rows = [bge_prompt(tok, bos, "q", d)[0] for d in ["short", "a somewhat longer passage " * 20]]
        x, m = pad(rows, pad_id, left=False, multiple=8)
        ref = model.model(input_ids=x, attention_mask=m).last_hidden_state
        mine = costwise_scores_hidden_check(model, cfg, x, m)
        diff = (ref - mine).abs()[m.bool()].max().item()
        assert diff < 1e-5, diff

    variants = [
        {"options": {}, "params": {"cutoff_layers": [28], "compress_ratio": 2, "compress_layer": [24, 40]},
         "max_len": 512, "slow": True, "queries": 1,
         "note": "Python rerankers' DEFAULT_PARAMS for this model name, default max_sequence_length 512"},
        {"options": {"maxLength": "96"}, "params": {"cutoff_layers": [28], "compress_ratio": 2, "compress_layer": [24, 40]},
         "max_len": 96, "note": "the default parameters at a short length"},
        {"options": {"cutoffLayers": "20,28", "compressRatio": "1", "maxLength": "96"},
         "params": {"cutoff_layers": [20, 28], "compress_ratio": 1, "compress_layer": None}, "max_len": 96,
         "note": "two cutoffs: the score is the deepest layer's, read with head 1 (BAAI pairs the i-th cutoff with head i)"},
        {"options": {"cutoffLayers": "42", "maxLength": "96"},
         "params": {"cutoff_layers": [42], "compress_ratio": None, "compress_layer": None}, "max_len": 96,
         "note": "the last layer: captured after the loop"},
        {"options": {"cutoffLayers": "12", "compressRatio": "4", "compressLayers": "3,8", "maxLength": "96"},
         "params": {"cutoff_layers": [12], "compress_ratio": 4, "compress_layer": [3, 8]}, "max_len": 96,
         "note": "compression twice, ratio 4"},
    ]
    data = cases()
    with torch.no_grad():
        for v in variants:
            p = v["params"]
            v["cases"] = []
            for c in data[: v.pop("queries", len(data))]:
                built = [bge_prompt(tok, bos, c["query"], d, max_len=v["max_len"]) for d in c["docs"]]
                rows = [b[0] for b in built]
                x, m = pad(rows, pad_id, left=False, multiple=8)
                args = (p["cutoff_layers"], p["compress_ratio"], p["compress_layer"])
                scores = costwise_scores(model, heads, cfg, x, m, *args, [b[1] for b in built], [b[2] for b in built],
                                         start, sep, cfg.final_logit_softcapping)
                alone = []
                for b in built:
                    xa, ma = pad([b[0]], pad_id, left=False, multiple=1)
                    alone += costwise_scores(model, heads, cfg, xa, ma, *args, [b[1]], [b[2]], start, sep,
                                             cfg.final_logit_softcapping)
                assert max(abs(a - s) for a, s in zip(scores, alone)) < 1e-4
                v["cases"].append({**c, "scores_in_input_order": [f32(s) for s in scores],
                                   "scores_each_pair_alone": [f32(s) for s in alone],
                                   "query_lengths": [b[1] for b in built], "prompt_lengths": [b[2] for b in built],
                                   "prompt_token_counts": [len(r) for r in rows], "min_gap": f32(min_gap(scores))})
    expected = {"ranker": "llm-layerwise (BAAI CostWiseGemmaForCausalLM)", "start_layer": start, "layer_sep": sep,
                "score": "head_i(norm(h[cutoff]))[last token], soft-capped by final_logit_softcapping",
                "variants": variants,
                "prompts": prompt_checks(tok, lambda q, d, max_len=512: bge_prompt(tok, bos, q, d, max_len=max_len))}
    state = {k: v for k, v in model.state_dict().items() if k != "lm_head.weight"}
    for i, hw in enumerate(heads):
        state[f"lm_head.{i}.linear_head.weight"] = hw
    config = json.loads(cfg.to_json_string())
    config.update({"architectures": ["CostWiseGemmaForCausalLM"], "model_type": "cost_wise_gemma",
                   "layer_wise": True, "start_layer": start, "layer_sep": sep, "sliding_window_size": 128})
    write(folder, expected, state, config)


def costwise_scores_hidden_check(model, cfg, x, m):
    """The reference loop run to the end without cutoff or compression: Gemma2Model's last hidden state."""
    from transformers.masking_utils import create_causal_mask, create_sliding_window_causal_mask
    inner = model.model
    h = inner.embed_tokens(x)
    pos = torch.arange(h.shape[1]).unsqueeze(0)
    kw = dict(config=cfg, inputs_embeds=h, attention_mask=m, past_key_values=None, position_ids=pos)
    masks = {"full_attention": create_causal_mask(**kw), "sliding_attention": create_sliding_window_causal_mask(**kw)}
    rope = inner.rotary_emb(h, pos)
    for idx, layer in enumerate(inner.layers):
        h = layer(h, attention_mask=masks[cfg.layer_types[idx]], position_embeddings=rope, position_ids=pos)
    return inner.norm(h)


# ---------------------------------------------------------------- MiniCPM (re-implemented)

class MiniCPMRef:
    """LayerWiseMiniCPMModel/ForCausalLM (eager, fp32) from FlagEmbedding's modeling_minicpm_reranker.py."""

    def __init__(self, sd, c):
        self.sd, self.c = sd, c
        self.h, self.n = c["hidden_size"], c["num_hidden_layers"]
        self.heads, self.kv = c["num_attention_heads"], c["num_key_value_heads"]
        self.d = self.h // self.heads

    def rms(self, x, w):
        var = x.pow(2).mean(-1, keepdim=True)
        return (x * torch.rsqrt(var + self.c["rms_norm_eps"])) * w

    def rope(self, length):
        base, dim = self.c["rope_theta"], self.d
        sc = self.c.get("rope_scaling")
        t = torch.arange(length, dtype=torch.float32)
        if sc and sc["type"] == "dynamic" and length > self.c["max_position_embeddings"]:
            f, mp = sc["factor"], self.c["max_position_embeddings"]
            base = base * ((f * length / mp) - (f - 1)) ** (dim / (dim - 2))
        inv = 1.0 / (base ** (torch.arange(0, dim, 2).float() / dim))
        if sc and sc["type"] == "linear":
            t = t / sc["factor"]
        emb = torch.cat([torch.outer(t, inv)] * 2, -1)
        return emb.cos(), emb.sin()

    @staticmethod
    def rotate(x):
        half = x.shape[-1] // 2
        return torch.cat((-x[..., half:], x[..., :half]), -1)

    def mask(self, m):
        b, L = m.shape
        neg = torch.finfo(torch.float32).min
        causal = torch.triu(torch.full((L, L), neg), 1)
        padding = (1.0 - m[:, None, None, :].float()) * neg
        return padding.masked_fill(causal.bool()[None, None], neg)

    def layer(self, i, h, mask, cos, sin):
        sd, p = self.sd, f"model.layers.{i}."
        b, L, _ = h.shape
        x = self.rms(h, sd[p + "input_layernorm.weight"])
        q = (x @ sd[p + "self_attn.q_proj.weight"].T).view(b, L, self.heads, self.d).transpose(1, 2)
        k = (x @ sd[p + "self_attn.k_proj.weight"].T).view(b, L, self.kv, self.d).transpose(1, 2)
        v = (x @ sd[p + "self_attn.v_proj.weight"].T).view(b, L, self.kv, self.d).transpose(1, 2)
        q, k = q * cos + self.rotate(q) * sin, k * cos + self.rotate(k) * sin
        rep = self.heads // self.kv
        k, v = k.repeat_interleave(rep, 1), v.repeat_interleave(rep, 1)
        w = torch.softmax(q @ k.transpose(2, 3) / math.sqrt(self.d) + mask, -1)
        a = (w @ v).transpose(1, 2).reshape(b, L, self.h) @ sd[p + "self_attn.o_proj.weight"].T
        scale = self.c["scale_depth"] / math.sqrt(self.n)
        h = h + a * scale
        x = self.rms(h, sd[p + "post_attention_layernorm.weight"])
        gate = x @ sd[p + "mlp.gate_proj.weight"].T
        mlp = (torch.nn.functional.silu(gate) * (x @ sd[p + "mlp.up_proj.weight"].T)) @ sd[p + "mlp.down_proj.weight"].T
        return h + mlp * scale

    def forward(self, x, m, cutoff_layers, start_layer, run_all=False):
        cutoffs = [c for c in cutoff_layers if start_layer <= c <= self.n]
        max_layer = self.n if run_all else max(cutoffs)
        h = self.sd["model.embed_tokens.weight"][x] * self.c["scale_emb"]
        cos, sin = self.rope(x.shape[1])
        mask = self.mask(m)
        captured = []
        for idx in range(self.n):
            if idx in cutoffs:
                captured.append(self.rms(h, self.sd["model.norm.weight"]))
            if idx == max_layer:
                break
            h = self.layer(idx, h, mask, cos, sin)
        h = self.rms(h, self.sd["model.norm.weight"])
        if max_layer == self.n:
            captured.append(h)
        return captured, cutoffs, h

    def scores(self, x, m, cutoff_layers, start_layer):
        captured, cutoffs, _ = self.forward(x, m, cutoff_layers, start_layer)
        hs = captured[-1]  # Python rerankers keeps the last (deepest) layer's scores
        z = (hs @ self.sd[f"lm_head.{max(cutoffs) - start_layer}.linear_head.weight"].T).reshape(hs.shape[0], -1)
        last = m.sum(1) - 1
        return [z[b, last[b]].item() for b in range(z.shape[0])]


def minicpm():
    folder = fresh("bge-reranker-v2-minicpm-layerwise")
    tok = make_tokenizer(folder, "bge")
    bos, pad_id = tok.token_to_id("<bos>"), tok.token_to_id("<|endoftext|>")
    n, start, hidden = 40, 8, 32
    c = {"architectures": ["LayerWiseMiniCPMForCausalLM"], "model_type": "minicpm", "vocab_size": VOCAB,
         "hidden_size": hidden, "intermediate_size": 64, "num_hidden_layers": n, "num_attention_heads": 4,
         "num_key_value_heads": 2, "hidden_act": "silu", "max_position_embeddings": 64, "rms_norm_eps": 1e-5,
         "rope_theta": 10000.0, "rope_scaling": {"type": "dynamic", "factor": 2.0}, "scale_emb": 12,
         "scale_depth": 1.4, "dim_model_base": 256, "start_layer": start, "head_multi": True, "head_type": "simple",
         "attention_bias": False, "tie_word_embeddings": False, "bos_token_id": bos, "eos_token_id": pad_id,
         "pad_token_id": pad_id, "pretraining_tp": 1, "torch_dtype": "float32"}
    g = torch.Generator().manual_seed(4321)
    sd = {"model.embed_tokens.weight": torch.randn(VOCAB, hidden, generator=g) / 8,
          "model.norm.weight": 1 + 0.1 * torch.randn(hidden, generator=g)}
    kvd = 2 * (hidden // 4)
    for i in range(n):
        p = f"model.layers.{i}."
        for name, shape in [("self_attn.q_proj", (hidden, hidden)), ("self_attn.k_proj", (kvd, hidden)),
                            ("self_attn.v_proj", (kvd, hidden)), ("self_attn.o_proj", (hidden, hidden)),
                            ("mlp.gate_proj", (64, hidden)), ("mlp.up_proj", (64, hidden)),
                            ("mlp.down_proj", (hidden, 64))]:
            sd[p + name + ".weight"] = torch.randn(*shape, generator=g) / math.sqrt(shape[1])
        sd[p + "input_layernorm.weight"] = 1 + 0.1 * torch.randn(hidden, generator=g)
        sd[p + "post_attention_layernorm.weight"] = 1 + 0.1 * torch.randn(hidden, generator=g)
    for k in range(n - start + 1):
        sd[f"lm_head.{k}.linear_head.weight"] = torch.randn(1, hidden, generator=g) / math.sqrt(hidden)
    ref = MiniCPMRef(sd, c)

    # with neutral scales and no rope scaling the reference is transformers' LlamaModel
    with torch.no_grad():
        neutral = dict(c, scale_emb=1, scale_depth=math.sqrt(n), rope_scaling=None)
        lc = LlamaConfig(vocab_size=VOCAB, hidden_size=hidden, intermediate_size=64, num_hidden_layers=n,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=64, rms_norm_eps=1e-5,
                         rope_theta=10000.0, attn_implementation="eager", pad_token_id=pad_id)
        llama = LlamaModel(lc).eval()
        llama.load_state_dict({k[len("model."):]: v for k, v in sd.items() if k.startswith("model.")})
        rows = [bge_prompt(tok, bos, "q", d)[0] for d in ["short", "a somewhat longer passage " * 20]]
        x, m = pad(rows, pad_id, left=False, multiple=8)
        want = llama(input_ids=x, attention_mask=m).last_hidden_state
        _, _, got = MiniCPMRef(sd, neutral).forward(x, m, [n], start)
        diff = (want - got).abs()[m.bool()].max().item()
        assert diff < 1e-5, diff

    variants = [
        {"options": {}, "params": {"cutoff_layers": [28]}, "max_len": 512, "slow": True, "queries": 1,
         "note": "Python rerankers' DEFAULT_PARAMS for this model name, default max_sequence_length 512"},
        {"options": {"maxLength": "96"}, "params": {"cutoff_layers": [28]}, "max_len": 96,
         "note": "the default cutoff at a short length"},
        {"options": {"cutoffLayers": "8,40", "maxLength": "96"}, "params": {"cutoff_layers": [8, 40]}, "max_len": 96,
         "note": "the deepest cutoff gives the score, with head 40 - start_layer"},
        {"options": {"cutoffLayers": "8", "maxLength": "96"}, "params": {"cutoff_layers": [8]}, "max_len": 96,
         "note": "the first usable layer"},
    ]
    data = cases()
    with torch.no_grad():
        for v in variants:
            v["cases"] = []
            for cs in data[: v.pop("queries", len(data))]:
                built = [bge_prompt(tok, bos, cs["query"], d, max_len=v["max_len"]) for d in cs["docs"]]
                rows = [b[0] for b in built]
                x, m = pad(rows, pad_id, left=False, multiple=8)
                scores = ref.scores(x, m, v["params"]["cutoff_layers"], start)
                alone = []
                for r in rows:
                    alone += ref.scores(torch.tensor([r]), torch.ones(1, len(r), dtype=torch.long),
                                        v["params"]["cutoff_layers"], start)
                # dynamic rope depends on the padded length when it exceeds max_position_embeddings
                v["cases"].append({**cs, "scores_in_input_order": [f32(s) for s in scores],
                                   "scores_each_pair_alone": [f32(s) for s in alone],
                                   "padded_length": x.shape[1],
                                   "prompt_token_counts": [len(r) for r in rows], "min_gap": f32(min_gap(scores))})
    expected = {"ranker": "llm-layerwise (BAAI LayerWiseMiniCPMForCausalLM)", "start_layer": start,
                "score": "lm_head[cutoff - start_layer](norm(h[cutoff]))[last token]",
                "note": "rope_scaling dynamic with max_position_embeddings 64: batches padded beyond 64 use the "
                        "NTK base for their padded length, so batched and alone scores differ where lengths differ",
                "variants": variants}
    write(folder, expected, sd, c)


# ---------------------------------------------------------------- Qwen3-Reranker (model card)

QWEN3_PREFIX = ("<|im_start|>system\nJudge whether the Document meets the requirements based on the Query and the "
                "Instruct provided. Note that the answer can only be \"yes\" or \"no\".<|im_end|>\n<|im_start|>user\n")
QWEN3_SUFFIX = "<|im_end|>\n<|im_start|>assistant\n<think>\n\n</think>\n\n"


def qwen3():
    folder = fresh("qwen3-reranker")
    make_tokenizer(folder, "qwen3")
    tokenizer = AutoTokenizer.from_pretrained(folder, padding_side="left")
    pad_id = tokenizer.pad_token_id
    cfg = Qwen3Config(vocab_size=VOCAB, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                      num_attention_heads=4, num_key_value_heads=2, head_dim=16, max_position_embeddings=40960,
                      rope_theta=1000000.0, tie_word_embeddings=True, pad_token_id=pad_id, bos_token_id=None,
                      eos_token_id=pad_id, attn_implementation="eager")
    torch.manual_seed(0)
    model = Qwen3ForCausalLM(cfg).eval()
    randomize(model, gemma_norms=False)
    true_id, false_id = tokenizer.convert_tokens_to_ids("yes"), tokenizer.convert_tokens_to_ids("no")
    prefix_tokens = tokenizer.encode(QWEN3_PREFIX, add_special_tokens=False)
    suffix_tokens = tokenizer.encode(QWEN3_SUFFIX, add_special_tokens=False)

    def fmt(instruction, query, doc):
        if instruction is None:
            instruction = "Given a web search query, retrieve relevant passages that answer the query"
        return "<Instruct>: {instruction}\n<Query>: {query}\n<Document>: {doc}".format(
            instruction=instruction, query=query, doc=doc)

    def process(pairs, max_length):
        inputs = tokenizer(pairs, padding=False, truncation="longest_first", return_attention_mask=False,
                           max_length=max_length - len(prefix_tokens) - len(suffix_tokens))
        for i, ele in enumerate(inputs["input_ids"]):
            inputs["input_ids"][i] = prefix_tokens + ele + suffix_tokens
        return tokenizer.pad(inputs, padding=True, return_tensors="pt", max_length=max_length)

    def score(inputs):
        logits = model(**inputs).logits[:, -1, :]
        s = torch.stack([logits[:, false_id], logits[:, true_id]], dim=1)
        return torch.nn.functional.log_softmax(s, dim=1)[:, 1].exp().tolist()

    variants = [{"options": {}, "instruction": None, "max_length": 8192, "slow": True},
                {"options": {"instruction": "Find the abstract that supports or refutes the claim", "maxLength": "256"},
                 "instruction": "Find the abstract that supports or refutes the claim", "max_length": 256}]
    with torch.no_grad():
        for v in variants:
            v["cases"] = []
            for c in cases():
                pairs = [fmt(v["instruction"], c["query"], d) for d in c["docs"]]
                inputs = process(pairs, v["max_length"])
                scores = score(inputs)
                alone = [score(process([p], v["max_length"]))[0] for p in pairs]
                assert max(abs(a - s) for a, s in zip(scores, alone)) < 1e-5
                rows = [r[m.bool()].tolist() for r, m in zip(inputs["input_ids"], inputs["attention_mask"])]
                v["cases"].append({**c, "scores_in_input_order": [f32(s) for s in scores],
                                   "scores_each_pair_alone": [f32(s) for s in alone],
                                   "prompt_token_counts": [len(r) for r in rows], "min_gap": f32(min_gap(scores)),
                                   "first_prompt_ids": rows[0]})
    checks = []
    for q, d in [("What is BRCA1?", "BRCA1 is a human tumor suppressor gene.")]:
        row = process([fmt(None, q, d)], 8192)["input_ids"][0].tolist()
        checks.append({"query": q, "document": d, "input_ids": row, "text": tokenizer.decode(row)})
    expected = {"ranker": "qwen3-reranker", "score": "softmax(logit(no), logit(yes))[yes] at the last position",
                "yes_token_id": true_id, "no_token_id": false_id, "prefix_ids": prefix_tokens,
                "suffix_ids": suffix_tokens, "variants": variants, "prompts": checks}
    state = {k: v for k, v in model.state_dict().items() if k != "lm_head.weight"}
    config = json.loads(cfg.to_json_string())
    config["architectures"] = ["Qwen3ForCausalLM"]
    write(folder, expected, state, config)


if __name__ == "__main__":
    which = sys.argv[1:] or ["gemma", "lightweight", "minicpm", "qwen3"]
    for w in which:
        {"gemma": bge_gemma, "lightweight": lightweight, "minicpm": minicpm, "qwen3": qwen3}[w]()
        print("wrote", w)
