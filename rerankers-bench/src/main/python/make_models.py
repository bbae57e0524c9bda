"""Writes the benchmark's model folders (run through ../shared/tools/pyref by rerankers-bench's BenchMain).

    make_models.py OUT_DIR SHARED_DIR [--tiny] NAME:LAYERS[:VISION_LAYERS] ...

Makes every folder named in one process (one import of torch and transformers).

Each folder is a Hugging Face checkpoint with the real hidden sizes, head counts, vocabulary sizes and
feed-forward widths of the default model it stands for (config below), seeded random weights (speed does
not depend on the values; no trained weights of these models are reachable offline), LAYERS decoder /
encoder layers (0 = all of the real model's), fp32, saved by save_pretrained, and a real tokenizer of the
right kind borrowed from a golden fixture (small vocabularies learnt on SciFact, so texts tokenize into a
few more tokens than with the real vocabularies; ids stay far below the real vocabulary size). The
folder names avoid the strings Python rerankers reacts to ("small", "monobert", known model ids).
"""
import json
import os
import shutil
import sys

import torch

OUT, SHARED = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
TINY = "--tiny" in sys.argv[3:]
JOBS = [a for a in sys.argv[3:] if a != "--tiny"]
E2E = os.path.join(SHARED, "golden-e2e")
torch.set_num_threads(max(1, os.cpu_count() or 1))
NAME, LAYERS, VISION_LAYERS, folder = None, 0, 0, None


def w(real, tiny):
    """A width: the real model's, or the tiny one under --tiny."""
    return tiny if TINY else real


def layers(real):
    return real if LAYERS <= 0 else min(LAYERS, real)


def copy_tokenizer(src, names=("tokenizer.json", "tokenizer_config.json", "special_tokens_map.json")):
    for n in names:
        p = os.path.join(src, n)
        if os.path.exists(p):
            shutil.copy(p, folder)


def save(model, extra=None):
    model.save_pretrained(folder, safe_serialization=True)
    cfg = json.load(open(os.path.join(folder, "config.json")))
    cfg.update(extra or {})
    json.dump(cfg, open(os.path.join(folder, "config.json"), "w"), indent=1)


def llm_tokenizer(kind):
    """The mxbaiv2 golden byte-level BPE with the tokens a family needs (as the llm fixtures do)."""
    tj = json.load(open(os.path.join(E2E, "mxbaiv2", "tokenizer.json")))
    added = tj["added_tokens"]
    vocab = tj["model"]["vocab"]
    nxt = max(a["id"] for a in added) + 1

    def add(content, special):
        nonlocal nxt
        added.append({"id": nxt, "content": content, "single_word": False, "lstrip": False, "rstrip": False,
                      "normalized": not special, "special": special})
        nxt += 1
        return nxt - 1

    if kind == "bge":
        add("<bos>", True)
        cfg = {"tokenizer_class": "PreTrainedTokenizerFast", "bos_token": "<bos>", "eos_token": "<|endoftext|>",
               "pad_token": "<|endoftext|>", "unk_token": "<|endoftext|>", "model_max_length": 8192,
               "padding_side": "right"}
    elif kind == "qwen3":
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
    else:  # mxbai: the golden tokenizer as it is
        shutil.copy(os.path.join(E2E, "mxbaiv2", "tokenizer_config.json"), folder)
        shutil.copy(os.path.join(E2E, "mxbaiv2", "special_tokens_map.json"), folder)
        cfg = None
    json.dump(tj, open(os.path.join(folder, "tokenizer.json"), "w"), ensure_ascii=False)
    if cfg is not None:
        json.dump(cfg, open(os.path.join(folder, "tokenizer_config.json"), "w"), indent=1)
    from tokenizers import Tokenizer
    return Tokenizer.from_file(os.path.join(folder, "tokenizer.json"))


def minilm_state():
    """all-MiniLM-L6-v2's ONNX initializers under Hugging Face names: linear weights are stored transposed
    as onnx::MatMul_N, and the consuming MatMul node's name tells which parameter each is."""
    import onnx
    from onnx import numpy_helper
    m = onnx.load(os.path.join(OUT, "_minilm-onnx", "model.onnx"))
    users = {}
    for n in m.graph.node:
        if n.op_type == "MatMul":
            for i in n.input:
                if i.startswith("onnx::MatMul"):
                    users[i] = n.name
    state = {}
    for t in m.graph.initializer:
        a = torch.from_numpy(numpy_helper.to_array(t).copy())
        if t.name.startswith("onnx::MatMul"):
            node = users[t.name]
            state[node[1:-len("/MatMul")].replace("/", ".") + ".weight"] = a.t().contiguous()
        elif not t.name.endswith("position_ids"):
            state[t.name] = a
    return state


MINILM = dict(vocab_size=30522, hidden_size=384, num_hidden_layers=6, num_attention_heads=12, intermediate_size=1536,
              max_position_embeddings=512, type_vocab_size=2, layer_norm_eps=1e-12, pad_token_id=0)

def make():
    if NAME in ("minilm-l6-ce", "minilm-l6-st"):  # the real all-MiniLM-L6-v2 encoder
        from transformers import BertConfig, BertForSequenceClassification, BertModel
        state = minilm_state()
        if NAME == "minilm-l6-st":
            model = BertModel(BertConfig(**MINILM), add_pooling_layer=False).eval()
            missing, unexpected = model.load_state_dict(state, strict=False)
        else:  # + a seeded pooler and one-logit classifier head
            model = BertForSequenceClassification(BertConfig(num_labels=1, **MINILM)).eval()
            missing, unexpected = model.load_state_dict({"bert." + k: v for k, v in state.items()}, strict=False)
        assert not unexpected and all("pooler" in k or "classifier" in k or "position_ids" in k for k in missing), \
            (missing, unexpected)
        save(model, {"architectures": [type(model).__name__]})
        shutil.copy(os.path.join(OUT, "_minilm-onnx", "tokenizer.json"), folder)
        for n in ("tokenizer_config.json", "special_tokens_map.json"):
            shutil.copy(os.path.join(OUT, "_bert-uncased-tokenizer", n), folder)
    elif NAME == "minilm-l12-ce":  # cross-encoder/ms-marco-MiniLM-L-12-v2
        from transformers import BertConfig, BertForSequenceClassification
        cfg = BertConfig(vocab_size=30522, hidden_size=w(384, 32), num_hidden_layers=layers(12),
                         num_attention_heads=w(12, 2), intermediate_size=w(1536, 64), max_position_embeddings=512,
                         num_labels=1)
        save(BertForSequenceClassification(cfg).eval(), {"architectures": ["BertForSequenceClassification"]})
        copy_tokenizer(os.path.join(OUT, "_bert-uncased-tokenizer"))
    elif NAME == "bge-reranker-base-shape":  # BAAI/bge-reranker-base (XLM-R base)
        from transformers import XLMRobertaConfig, XLMRobertaForSequenceClassification
        cfg = XLMRobertaConfig(vocab_size=250002, hidden_size=w(768, 32), num_hidden_layers=layers(12),
                               num_attention_heads=w(12, 2), intermediate_size=w(3072, 64), max_position_embeddings=514, type_vocab_size=1, pad_token_id=1,
                               bos_token_id=0, eos_token_id=2, num_labels=1)
        save(XLMRobertaForSequenceClassification(cfg).eval(), {"architectures": ["XLMRobertaForSequenceClassification"]})
        copy_tokenizer(os.path.join(E2E, "xlm-roberta"))
    elif NAME == "t5-base-ranker":  # unicamp-dl/InRanker-base (t5-base)
        from transformers import T5Config, T5ForConditionalGeneration
        cfg = T5Config(vocab_size=32128, d_model=w(768, 32), d_kv=w(64, 16), d_ff=w(3072, 64), num_layers=layers(12),
                       num_decoder_layers=layers(12), num_heads=w(12, 2), feed_forward_proj="relu", tie_word_embeddings=True,
                       decoder_start_token_id=0, pad_token_id=0, eos_token_id=1)
        save(T5ForConditionalGeneration(cfg).eval(), {"architectures": ["T5ForConditionalGeneration"]})
        copy_tokenizer(os.path.join(E2E, "t5"))
    elif NAME == "upr-t5-large-lm-adapt-shape":  # google/t5-large-lm-adapt (T5 v1.1 large)
        from transformers import T5Config, T5ForConditionalGeneration
        cfg = T5Config(vocab_size=32128, d_model=w(1024, 32), d_kv=w(64, 16), d_ff=w(2816, 64), num_layers=layers(24),
                       num_decoder_layers=layers(24), num_heads=w(16, 2), feed_forward_proj="gated-gelu",
                       tie_word_embeddings=False, decoder_start_token_id=0, pad_token_id=0, eos_token_id=1)
        save(T5ForConditionalGeneration(cfg).eval(), {"architectures": ["T5ForConditionalGeneration"]})
        copy_tokenizer(os.path.join(E2E, "t5-gated"))
        # UPRRanker loads T5Tokenizer (sentencepiece): the golden tokenizer has no spiece.model, so the
        # peer script swaps in the fast tokenizer (same ids), see peer.py
    elif NAME == "colbertv2-shape":  # colbert-ir/colbertv2.0 (BERT base, linear 768 -> 128)
        from transformers import BertConfig, BertModel
        from safetensors.torch import save_file
        cfg = BertConfig(vocab_size=30522, hidden_size=w(768, 32), num_hidden_layers=layers(12),
                         num_attention_heads=w(12, 2), intermediate_size=w(3072, 64), max_position_embeddings=512)
        bert = BertModel(cfg, add_pooling_layer=False)
        state = {"bert." + k: v.contiguous() for k, v in bert.state_dict().items()
                 if not (k.endswith("position_ids") or k.endswith("token_type_ids"))}
        state["linear.weight"] = (torch.randn(128, cfg.hidden_size) * 0.05).contiguous()
        save_file(state, os.path.join(folder, "model.safetensors"), metadata={"format": "pt"})
        d = cfg.to_dict()
        d["architectures"] = ["HF_ColBERT"]
        d["model_type"] = "bert"
        json.dump(d, open(os.path.join(folder, "config.json"), "w"), indent=1)
        copy_tokenizer(os.path.join(OUT, "_bert-uncased-tokenizer"))
    elif NAME.startswith("qwen3-reranker-0.6b-shape"):  # Qwen/Qwen3-Reranker-0.6B (-4l: the prefix sweep's)
        from transformers import Qwen3Config, Qwen3ForCausalLM
        tok = llm_tokenizer("qwen3")
        cfg = Qwen3Config(vocab_size=151669, hidden_size=w(1024, 64), intermediate_size=w(3072, 128),
                          num_hidden_layers=layers(28), num_attention_heads=w(16, 4), num_key_value_heads=w(8, 2),
                          head_dim=w(128, 16), max_position_embeddings=40960,
                          rope_theta=1000000.0, tie_word_embeddings=True, pad_token_id=tok.token_to_id("<|endoftext|>"))
        save(Qwen3ForCausalLM(cfg).eval(), {"architectures": ["Qwen3ForCausalLM"]})
    elif NAME == "mxbai-v2-base-shape":  # mixedbread-ai/mxbai-rerank-base-v2 (Qwen2.5-0.5B)
        from transformers import Qwen2Config, Qwen2ForCausalLM
        tok = llm_tokenizer("mxbai")
        cfg = Qwen2Config(vocab_size=151936, hidden_size=w(896, 64), intermediate_size=w(4864, 128),
                          num_hidden_layers=layers(24), num_attention_heads=w(14, 4), num_key_value_heads=2, max_position_embeddings=32768,
                          rope_theta=1000000.0, tie_word_embeddings=True, pad_token_id=tok.token_to_id("<|endoftext|>"))
        save(Qwen2ForCausalLM(cfg).eval(), {"architectures": ["Qwen2ForCausalLM"]})
    elif NAME == "gemma2-2b-llm":  # google/gemma-2-2b under BAAI's plain decoder-reranker recipe
        from transformers import Gemma2Config, Gemma2ForCausalLM
        tok = llm_tokenizer("bge")
        cfg = Gemma2Config(vocab_size=256000, hidden_size=w(2304, 64), intermediate_size=w(9216, 128),
                           num_hidden_layers=layers(26), num_attention_heads=w(8, 4), num_key_value_heads=w(4, 2),
                           head_dim=w(256, 16), max_position_embeddings=8192, query_pre_attn_scalar=w(256, 16), sliding_window=4096, attn_logit_softcapping=50.0,
                           final_logit_softcapping=30.0, hidden_activation="gelu_pytorch_tanh",
                           bos_token_id=tok.token_to_id("<bos>"), pad_token_id=tok.token_to_id("<|endoftext|>"),
                           eos_token_id=tok.token_to_id("<|endoftext|>"), tie_word_embeddings=True)
        save(Gemma2ForCausalLM(cfg).eval(), {"architectures": ["Gemma2ForCausalLM"]})
    elif NAME == "minicpm-layerwise-2b-shape":  # BAAI/bge-reranker-v2-minicpm-layerwise (MiniCPM-2B), BAAI's code
        import baai_minicpm
        src = os.path.join(OUT, "_baai-minicpm")
        if not os.path.isdir(src):
            raise SystemExit(src + " is missing: ModelStore exports BAAI's modelling code there (baai_sources.sh)")
        for f in baai_minicpm.FILES:
            shutil.copy(os.path.join(src, f), folder)
        shutil.copytree(os.path.join(src, baai_minicpm.PACKAGE), os.path.join(folder, baai_minicpm.PACKAGE))
        tok = llm_tokenizer("bge")
        # 3 layers (also in the smoke run, at tiny widths), heads from layer 1, the row scores at cutoff 2: like
        # the real model's default (cutoff 28 of 40, heads from layer 8), the top layer is loaded by the Python
        # peer but never run by either side
        n = 3 if TINY else layers(40)
        cfg = {"architectures": ["LayerWiseMiniCPMForCausalLM"], "auto_map": baai_minicpm.AUTO_MAP,
               "model_type": "minicpm", "vocab_size": 122753, "hidden_size": w(2304, 64),
               "intermediate_size": w(5760, 128), "num_hidden_layers": n, "num_attention_heads": w(36, 4),
               "num_key_value_heads": w(36, 4), "hidden_act": "silu", "max_position_embeddings": 2048,
               "initializer_range": 0.02, "rms_norm_eps": 1e-5, "rope_theta": 10000.0, "rope_scaling": None,
               "scale_emb": 12, "dim_model_base": 256, "scale_depth": 1.4, "start_layer": 1, "head_multi": True,
               "head_type": "simple", "attention_bias": False, "pretraining_tp": 1, "tie_word_embeddings": False,
               "use_cache": True, "bos_token_id": tok.token_to_id("<bos>"), "eos_token_id": tok.token_to_id("<|endoftext|>"),
               "pad_token_id": tok.token_to_id("<|endoftext|>"), "torch_dtype": "float32"}
        json.dump(cfg, open(os.path.join(folder, "config.json"), "w"), indent=1)
        baai_minicpm.install(folder)
        from transformers import AutoConfig, AutoModelForCausalLM
        config = AutoConfig.from_pretrained(folder, trust_remote_code=True)
        model = AutoModelForCausalLM.from_config(config, trust_remote_code=True).eval()  # BAAI's class, seeded init
        assert type(model).__name__ == "LayerWiseMiniCPMForCausalLM", type(model)
        model.save_pretrained(folder, safe_serialization=True)
        # the config as the Hub repository writes it (transformers 5 would save rope_parameters instead)
        json.dump(cfg, open(os.path.join(folder, "config.json"), "w"), indent=1)
    elif NAME == "monoqwen2-vl-2b-shape":  # lightonai/MonoQwen2-VL-v0.1 (Qwen2-VL-2B, LoRA merged)
        from transformers import Qwen2VLConfig, Qwen2VLForConditionalGeneration
        tiny = os.path.join(OUT, "_qwen2vl-processor")
        for n in os.listdir(tiny):
            if n not in ("config.json", "model.safetensors", "generation_config.json"):
                shutil.copy(os.path.join(tiny, n), folder)
        pre = json.load(open(os.path.join(folder, "preprocessor_config.json")))
        pre.update({"patch_size": 14, "min_pixels": 56 * 56, "max_pixels": 448 * 448})
        json.dump(pre, open(os.path.join(folder, "preprocessor_config.json"), "w"), indent=1)
        tc = json.load(open(os.path.join(tiny, "config.json")))
        text = dict(vocab_size=151936, hidden_size=w(1536, 32), intermediate_size=w(8960, 64),
                    num_hidden_layers=layers(28), num_attention_heads=w(12, 2), num_key_value_heads=w(2, 1), max_position_embeddings=32768, rms_norm_eps=1e-6,
                    rope_theta=1000000.0, tie_word_embeddings=True, hidden_act="silu",
                    rope_scaling={"type": "mrope", "mrope_section": w([16, 24, 24], [2, 3, 3])})
        vision = dict(depth=VISION_LAYERS if VISION_LAYERS > 0 else 32, embed_dim=w(1280, 32),
                      hidden_size=text["hidden_size"], hidden_act="quick_gelu", mlp_ratio=w(4, 2), num_heads=w(16, 2), in_chans=3, patch_size=14,
                      spatial_merge_size=2, temporal_patch_size=2)
        cfg = Qwen2VLConfig(text_config=text, vision_config=vision, image_token_id=tc["image_token_id"],
                            video_token_id=tc["video_token_id"], vision_start_token_id=tc["vision_start_token_id"],
                            vision_end_token_id=tc["vision_end_token_id"], tie_word_embeddings=True)
        model = Qwen2VLForConditionalGeneration(cfg).eval()
        model.save_pretrained(folder, safe_serialization=True)
    else:
        raise SystemExit("unknown bench model " + NAME)
    print("bench model written:", folder, flush=True)


for job in JOBS:
    parts = job.split(":")
    NAME, LAYERS = parts[0], int(parts[1])
    VISION_LAYERS = int(parts[2]) if len(parts) > 2 else 0
    folder = os.path.join(OUT, NAME)
    if os.path.exists(folder):
        shutil.rmtree(folder)
    os.makedirs(folder)
    torch.manual_seed(20261202)
    make()
