"""Builds the rerankers-monovlm test fixture (src/test/resources/monovlm/) with Hugging Face transformers
and AnswerDotAI's Python rerankers, so the Java port can be checked against them.

Run inside tools/pyref (Debian sid: transformers 5, torch, PIL, torchvision), from a directory that
contains every path given (e.g. /work):

    cd /work && ../shared/tools/pyref --vision run \
        wt/monovlm/rerankers-monovlm/src/test/python/make_monovlm_fixture.py \
        --tokenizer shared/golden-e2e/mxbaiv2/tokenizer.json \
        --rerankers wt/monovlm/target/rerankers-py \
        --out wt/monovlm/rerankers-monovlm/src/test/resources/monovlm

where --rerankers is a folder holding the `rerankers` package at commit 7bb2521 (e.g.
`git archive HEAD rerankers | tar -x -C target/rerankers-py`). CPU, one thread, float32, seeded:
a second run writes byte-identical files.

What it writes:
  tiny-qwen2vl/   a tiny random Qwen2VLForConditionalGeneration (v4-style flat config.json with
                  rope_scaling {type: mrope, mrope_section}), a Qwen2 byte-level BPE tokenizer with the
                  Qwen2-VL special tokens and the 'False'/'True' vocabulary entries, the Qwen2-VL chat
                  template and a v4-style preprocessor_config.json (min_pixels/max_pixels small enough
                  that every test image is resized).
  tiny-lora/      a PEFT-format LoRA adapter on it (adapter_config.json + adapter_model.safetensors):
                  r 4, alpha 8, rank_pattern/alpha_pattern for o_proj (r 2, alpha 6), a regex
                  target_modules covering the language model's q/k/v/o/gate/up/down and the vision
                  blocks' qkv; base_model_name_or_path "../tiny-qwen2vl".
  lora-merged.safetensors   the reference merge W + (alpha/r)·B·A of every targeted weight (PEFT's
                  LoraLayer.get_delta_weight formula; peft itself is not installed in the chroot).
  images/         a.png (RGB 61x45, shrunk to max_pixels), b.png (RGBA 13x10, grown to min_pixels),
                  c.png (grey 20x28, 3.5/2.5 patches: banker's rounding), d.jpg (RGB 40x30, 4:4:4).
  expected.json   per image: the RGB pixels PIL decodes, the resized size, image_grid_thw and
                  pixel_values of the processor (torchvision backend, the default; also whether the
                  PIL backend agrees); for the first query and each image: input_ids, position_ids,
                  rope_deltas, image_embeds and the last-position logits of the base model; the
                  Python MonoVLMRanker's scores for every query on the base model and on the merged
                  (LoRA) model.
"""

import argparse
import base64
import copy
import hashlib
import io
import json
import os
import re
import shutil
import sys
import tempfile

import numpy as np
import torch
from PIL import Image

p = argparse.ArgumentParser()
p.add_argument("--tokenizer", required=True)
p.add_argument("--rerankers", required=True)
p.add_argument("--out", required=True)
args = p.parse_args()

torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)

import transformers  # noqa: E402
from transformers import AutoProcessor, Qwen2VLConfig, Qwen2VLForConditionalGeneration  # noqa: E402
from safetensors.torch import load_file, save_file  # noqa: E402

OUT = os.path.abspath(args.out)
BASE = os.path.join(OUT, "tiny-qwen2vl")
LORA = os.path.join(OUT, "tiny-lora")
IMAGES = os.path.join(OUT, "images")
for d in (BASE, LORA, IMAGES):
    os.makedirs(d, exist_ok=True)

SEED = 20250601
VOCAB = 3016
# the BPE vocabulary keeps ids 0..2999 and gains False/True as 3000/3001; the added tokens follow it (the
# tokenizers library numbers added tokens after the model's vocabulary)
TOK = {"False": 3000, "True": 3001, "endoftext": 3002, "im_start": 3003, "im_end": 3004, "vision_start": 3005,
       "vision_end": 3006, "vision_pad": 3007, "image_pad": 3008, "video_pad": 3009}
MIN_PIXELS, MAX_PIXELS = 256, 1024
MEAN = [0.48145466, 0.4578275, 0.40821073]
STD = [0.26862954, 0.26130258, 0.27577711]
CHAT_TEMPLATE = (
    "{% set image_count = namespace(value=0) %}{% set video_count = namespace(value=0) %}{% for message in messages %}"
    "{% if loop.first and message['role'] != 'system' %}<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n"
    "{% endif %}<|im_start|>{{ message['role'] }}\n{% if message['content'] is string %}{{ message['content'] }}"
    "<|im_end|>\n{% else %}{% for content in message['content'] %}{% if content['type'] == 'image' or 'image' in "
    "content or 'image_url' in content %}{% set image_count.value = image_count.value + 1 %}{% if add_vision_id %}"
    "Picture {{ image_count.value }}: {% endif %}<|vision_start|><|image_pad|><|vision_end|>{% elif content['type'] "
    "== 'video' or 'video' in content %}{% set video_count.value = video_count.value + 1 %}{% if add_vision_id %}"
    "Video {{ video_count.value }}: {% endif %}<|vision_start|><|video_pad|><|vision_end|>{% elif 'text' in content %}"
    "{{ content['text'] }}{% endif %}{% endfor %}<|im_end|>\n{% endif %}{% endfor %}{% if add_generation_prompt %}"
    "<|im_start|>assistant\n{% endif %}")
QUERIES = [
    "Which slide shows the quarterly revenue chart?",
    "scanned invoice from 2021, total amount due",
    "a photo of a cat — sleeping on a keyboard (α test)",
]


def f32(x):
    """A float32 as the shortest decimal that reads back to it."""
    return float(str(np.float32(x)))


def nested(a):
    return [nested(x) for x in a] if a.ndim > 1 else [f32(v) for v in a]


def floats(t):
    return nested(t.detach().to(torch.float32).numpy())


def ints(t):
    return np.asarray(t).astype(np.int64).tolist()


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


# ---------------------------------------------------------------- tokenizer (Qwen2 byte-level BPE + VL tokens)
tok = json.load(open(args.tokenizer, encoding="utf-8"))
vocab = tok["model"]["vocab"]
assert "False" not in vocab and "True" not in vocab
assert [t["content"] for t in tok["added_tokens"]] == ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
assert sorted(vocab.values()) == list(range(3000))
vocab["False"] = TOK["False"]
vocab["True"] = TOK["True"]
tok["added_tokens"] = [{"id": TOK[name], "content": f"<|{name}|>", "single_word": False, "lstrip": False,
                        "rstrip": False, "normalized": False, "special": True}
                       for name in ("endoftext", "im_start", "im_end", "vision_start", "vision_end", "vision_pad",
                                    "image_pad", "video_pad")]
with open(os.path.join(BASE, "tokenizer.json"), "w", encoding="utf-8") as f:
    json.dump(tok, f, ensure_ascii=False, indent=1)
specials = ["<|im_start|>", "<|im_end|>", "<|vision_start|>", "<|vision_end|>", "<|vision_pad|>", "<|image_pad|>",
            "<|video_pad|>"]
with open(os.path.join(BASE, "tokenizer_config.json"), "w") as f:
    json.dump({"tokenizer_class": "Qwen2Tokenizer", "bos_token": None, "eos_token": "<|im_end|>",
               "pad_token": "<|endoftext|>", "unk_token": None, "model_max_length": 32768,
               "additional_special_tokens": specials, "errors": "replace", "split_special_tokens": False,
               "clean_up_tokenization_spaces": False}, f, indent=2)
with open(os.path.join(BASE, "special_tokens_map.json"), "w") as f:
    json.dump({"eos_token": "<|im_end|>", "pad_token": "<|endoftext|>", "additional_special_tokens": specials}, f,
              indent=2)
with open(os.path.join(BASE, "chat_template.json"), "w") as f:
    json.dump({"chat_template": CHAT_TEMPLATE}, f, indent=2)
with open(os.path.join(BASE, "preprocessor_config.json"), "w") as f:
    json.dump({"min_pixels": MIN_PIXELS, "max_pixels": MAX_PIXELS, "patch_size": 4, "temporal_patch_size": 2,
               "merge_size": 2, "image_mean": MEAN, "image_std": STD, "image_processor_type": "Qwen2VLImageProcessor",
               "processor_class": "Qwen2VLProcessor"}, f, indent=2)

from transformers import AutoTokenizer  # noqa: E402

_check = AutoTokenizer.from_pretrained(BASE)
for _name, _id in TOK.items():
    _token = _name if _name in ("False", "True") else f"<|{_name}|>"
    assert _check.convert_tokens_to_ids(_token) == _id, (_token, _check.convert_tokens_to_ids(_token), _id)

# ---------------------------------------------------------------- images
rng = np.random.default_rng(SEED)


def smooth(h, w, c):
    """Gradients plus noise: resizing must get both the smooth parts and the edges right."""
    y, x = np.mgrid[0:h, 0:w]
    base = np.stack([(x * 255 / max(w - 1, 1)), (y * 255 / max(h - 1, 1)), ((x + y) * 127 / max(h + w - 2, 1))], -1)
    noise = rng.integers(-60, 61, size=(h, w, 3))
    img = np.clip(base[..., :3] + noise, 0, 255).astype(np.uint8)
    if c == 4:
        alpha = rng.integers(0, 256, size=(h, w, 1), dtype=np.uint8)
        img = np.concatenate([img, alpha], -1)
    return img


Image.fromarray(smooth(45, 61, 3), "RGB").save(os.path.join(IMAGES, "a.png"))
Image.fromarray(smooth(10, 13, 4), "RGBA").save(os.path.join(IMAGES, "b.png"))
Image.fromarray(smooth(28, 20, 3)[..., 0], "L").save(os.path.join(IMAGES, "c.png"))
Image.fromarray(smooth(30, 40, 3), "RGB").save(os.path.join(IMAGES, "d.jpg"), quality=95, subsampling=0)
IMAGE_FILES = ["a.png", "b.png", "c.png", "d.jpg"]

# ---------------------------------------------------------------- model
torch.manual_seed(SEED)
config = Qwen2VLConfig(
    text_config=dict(vocab_size=VOCAB, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                     num_attention_heads=2, num_key_value_heads=1, max_position_embeddings=512, rms_norm_eps=1e-6,
                     rope_parameters={"rope_type": "default", "rope_theta": 1000000.0, "mrope_section": [2, 3, 3]},
                     bos_token_id=None, eos_token_id=TOK["im_end"], pad_token_id=TOK["endoftext"], use_sliding_window=False),
    vision_config=dict(depth=2, embed_dim=32, hidden_size=32, num_heads=2, mlp_ratio=2, patch_size=4,
                       temporal_patch_size=2, spatial_merge_size=2, in_channels=3, hidden_act="quick_gelu"),
    image_token_id=TOK["image_pad"], video_token_id=TOK["video_pad"], vision_start_token_id=TOK["vision_start"],
    vision_end_token_id=TOK["vision_end"], tie_word_embeddings=True)
model = Qwen2VLForConditionalGeneration._from_config(config, attn_implementation="eager", dtype=torch.float32)
model.eval()
with torch.no_grad():
    for name, prm in model.named_parameters():
        if name.endswith("norm.weight") or ".norm1." in name or ".norm2." in name or "ln_q" in name or \
                name.endswith("layernorm.weight"):
            if name.endswith("weight"):
                prm.copy_(1 + 0.1 * torch.randn_like(prm))
            else:
                prm.copy_(0.1 * torch.randn_like(prm))
        elif name.endswith("bias"):
            prm.copy_(0.1 * torch.randn_like(prm))
        else:
            fan_in = prm[0].numel() if prm.dim() > 1 else prm.numel()
            if "embed_tokens" in name:
                fan_in = prm.shape[1]
            prm.copy_(torch.randn_like(prm) / np.sqrt(fan_in))
model.save_pretrained(BASE, safe_serialization=True)
saved = json.load(open(os.path.join(BASE, "config.json")))
# Hub checkpoints carry the v4 flat layout: text fields at the top, rope_scaling {type: mrope}
text = saved["text_config"]
flat = {"architectures": ["Qwen2VLForConditionalGeneration"], "model_type": "qwen2_vl"}
for k in ("attention_dropout", "bos_token_id", "eos_token_id", "hidden_act", "hidden_size", "initializer_range",
          "intermediate_size", "max_position_embeddings", "max_window_layers", "num_attention_heads",
          "num_hidden_layers", "num_key_value_heads", "pad_token_id", "rms_norm_eps", "sliding_window",
          "use_cache", "use_sliding_window", "vocab_size"):
    flat[k] = text.get(k)
flat["rope_theta"] = text["rope_parameters"]["rope_theta"]
flat["rope_scaling"] = {"type": "mrope", "mrope_section": text["rope_parameters"]["mrope_section"]}
flat["tie_word_embeddings"] = True
flat["torch_dtype"] = "float32"
for k in ("image_token_id", "video_token_id", "vision_start_token_id", "vision_end_token_id"):
    flat[k] = saved[k]
vision = {k: v for k, v in saved["vision_config"].items() if k not in ("in_channels", "model_type", "dtype")}
vision["in_chans"] = 3
flat["vision_config"] = vision
flat["transformers_version"] = "4.45.0.dev0"
with open(os.path.join(BASE, "config.json"), "w") as f:
    json.dump(flat, f, indent=2)
reloaded = Qwen2VLForConditionalGeneration.from_pretrained(BASE, attn_implementation="eager", dtype=torch.float32)
reloaded.eval()
assert reloaded.config.text_config.rope_parameters["mrope_section"] == [2, 3, 3]
assert reloaded.config.tie_word_embeddings
for (n1, t1), (n2, t2) in zip(model.state_dict().items(), reloaded.state_dict().items()):
    assert n1 == n2 and torch.equal(t1, t2), n1

# ---------------------------------------------------------------- processor
processor = AutoProcessor.from_pretrained(BASE)
image_processor_class = type(processor.image_processor).__name__
from transformers.models.qwen2_vl.image_processing_pil_qwen2_vl import Qwen2VLImageProcessorPil  # noqa: E402

pil_processor = Qwen2VLImageProcessorPil(min_pixels=MIN_PIXELS, max_pixels=MAX_PIXELS, patch_size=4,
                                         temporal_patch_size=2, merge_size=2, image_mean=MEAN, image_std=STD)


def messages_for(query):
    prompt = ("Assert the relevance of the previous image document to the following query, answer True or False. "
              "The query is: {query}").format(query=query)
    return [{"role": "user", "content": [{"type": "image", "image": None}, {"type": "text", "text": prompt}]}]


images_out = []
per_image = []
for name in IMAGE_FILES:
    path = os.path.join(IMAGES, name)
    raw = open(path, "rb").read()
    pil = Image.open(io.BytesIO(raw))
    mode = pil.mode
    rgb = pil.convert("RGB")
    arr = np.asarray(rgb)
    feats = processor.image_processor(images=rgb, return_tensors="pt")
    pil_feats = pil_processor(images=rgb, return_tensors="pt")
    grid = feats["image_grid_thw"][0].tolist()
    entry = {
        "file": name, "mode": mode, "width": rgb.width, "height": rgb.height,
        "rgb": arr.tolist(),
        "resized_height": grid[1] * 4, "resized_width": grid[2] * 4,
        "image_grid_thw": grid,
        "pixel_values": floats(feats["pixel_values"]),
        "pil_backend_pixel_values_equal": bool(torch.equal(feats["pixel_values"], pil_feats["pixel_values"])),
        "pil_backend_max_abs_diff": float((feats["pixel_values"] - pil_feats["pixel_values"]).abs().max()),
    }
    images_out.append(entry)

    text = processor.apply_chat_template(messages_for(QUERIES[0]), tokenize=False, add_generation_prompt=True)
    inputs = processor(text=text, images=rgb, return_tensors="pt")
    with torch.no_grad():
        out = reloaded(**inputs)
        image_embeds = reloaded.model.get_image_features(inputs["pixel_values"], inputs["image_grid_thw"]).pooler_output
        image_embeds = torch.cat(image_embeds, 0)
        position_ids, rope_deltas = reloaded.model.get_rope_index(
            inputs["input_ids"], inputs["mm_token_type_ids"], inputs["image_grid_thw"],
            attention_mask=inputs["attention_mask"])
    assert torch.equal(inputs["pixel_values"], feats["pixel_values"])
    per_image.append({
        "file": name,
        "prompt_text": text,
        "input_ids": ints(inputs["input_ids"][0]),
        "position_ids": ints(position_ids[:, 0, :]),
        "rope_deltas": int(rope_deltas[0, 0]),
        "image_embeds": floats(image_embeds),
        "logits_last_position": floats(out.logits[0, -1]),
    })

# ---------------------------------------------------------------- LoRA adapter and its reference merge
R, ALPHA = 4, 8
RANK_PATTERN, ALPHA_PATTERN = {"o_proj": 2}, {"o_proj": 6}
TARGET = r"(.*(model).*(down_proj|gate_proj|up_proj|k_proj|q_proj|v_proj|o_proj).*$|.*(visual).*(qkv)$)"


def pattern_value(patterns, module, default):
    """PEFT's get_pattern_key: a key matches a module named exactly so or ending in '.' + key (key is a regex)."""
    for key, value in patterns.items():
        if re.match(rf"(^|.*\.){key}$", module):
            return value
    return default


gen = torch.Generator().manual_seed(SEED + 1)
adapter = {}
merged = {}
base_sd = reloaded.state_dict()
linear_modules = [n for n, m in reloaded.named_modules() if isinstance(m, torch.nn.Linear)]
for module in linear_modules:
    if not re.fullmatch(TARGET, module) or module == "lm_head":
        continue
    # the v4 checkpoint key of the module (transformers 5 names it model.language_model.* / model.visual.*)
    key = module.replace("model.language_model.", "model.").replace("model.visual.", "visual.")
    w = base_sd[module + ".weight"]
    r = pattern_value(RANK_PATTERN, key, R)
    alpha = pattern_value(ALPHA_PATTERN, key, ALPHA)
    a = torch.randn(r, w.shape[1], generator=gen) / np.sqrt(w.shape[1])
    b = torch.randn(w.shape[0], r, generator=gen) * (0.5 / np.sqrt(r))
    adapter[f"base_model.model.{key}.lora_A.weight"] = a.contiguous()
    adapter[f"base_model.model.{key}.lora_B.weight"] = b.contiguous()
    merged[key + ".weight"] = (w + (b @ a) * (alpha / r)).contiguous()
assert len(merged) == 2 * 7 + 2, sorted(merged)
save_file(adapter, os.path.join(LORA, "adapter_model.safetensors"), metadata={"format": "pt"})
save_file(merged, os.path.join(OUT, "lora-merged.safetensors"), metadata={"format": "pt"})
with open(os.path.join(LORA, "adapter_config.json"), "w") as f:
    json.dump({"alpha_pattern": ALPHA_PATTERN, "auto_mapping": None, "base_model_name_or_path": "../tiny-qwen2vl",
               "bias": "none", "fan_in_fan_out": False, "inference_mode": True, "init_lora_weights": "gaussian",
               "layers_pattern": None, "layers_to_transform": None, "lora_alpha": ALPHA, "lora_dropout": 0.1,
               "modules_to_save": None, "peft_type": "LORA", "r": R, "rank_pattern": RANK_PATTERN, "revision": None,
               "target_modules": TARGET, "task_type": "FEATURE_EXTRACTION", "use_dora": False, "use_rslora": False},
              f, indent=2)

# ---------------------------------------------------------------- the Python rerankers library's own scores
sys.path.insert(0, os.path.abspath(args.rerankers))
import rerankers.models.monovlm_ranker as mv  # noqa: E402
from rerankers.documents import Document  # noqa: E402

shims = []
_orig = mv.Qwen2VLForConditionalGeneration.from_pretrained


def _from_pretrained(path, **kw):
    kw.pop("device_map", None)  # accelerate is absent; the model stays on the CPU anyway
    return _orig(path, **kw)


mv.Qwen2VLForConditionalGeneration.from_pretrained = _from_pretrained
shims.append("Qwen2VLForConditionalGeneration.from_pretrained called without device_map='cpu' (accelerate absent)")

merged_dir = tempfile.mkdtemp()
try:
    for f in os.listdir(BASE):
        if f != "model.safetensors":
            shutil.copy(os.path.join(BASE, f), merged_dir)
    merged_sd = {k: v.contiguous() for k, v in load_file(os.path.join(BASE, "model.safetensors")).items()}
    for k, v in merged.items():
        assert k in merged_sd, k
        merged_sd[k] = v
    save_file(merged_sd, os.path.join(merged_dir, "model.safetensors"), metadata={"format": "pt"})

    def scores_for(model_dir):
        ranker = mv.MonoVLMRanker(model_dir, processor_name=BASE, dtype=torch.float32, device="cpu", verbose=0,
                                  attention_implementation="eager")
        out = []
        for q in QUERIES:
            docs = [Document(document_type="image", doc_id=name,
                             base64=base64.b64encode(open(os.path.join(IMAGES, name), "rb").read()).decode())
                    for name in IMAGE_FILES]
            res = ranker.rank(q, docs)
            by_id = {r.document.doc_id: r.score for r in res.results}
            scores = [float(np.float32(by_id[n])) for n in IMAGE_FILES]
            ordered = sorted(scores, reverse=True)
            out.append({"query": q, "doc_ids": IMAGE_FILES, "scores_in_input_order": [f32(s) for s in scores],
                        "ranking": [r.document.doc_id for r in res.results],
                        "min_gap_between_sorted_scores": f32(min(a - b for a, b in zip(ordered, ordered[1:])))})
        return ranker, out

    ranker, base_scores = scores_for(BASE)
    _, lora_scores = scores_for(merged_dir)
finally:
    shutil.rmtree(merged_dir)

expected = {
    "generator": "make_monovlm_fixture.py",
    "transformers_version": transformers.__version__, "torch_version": torch.__version__,
    "pil_version": Image.__version__, "seed": SEED, "dtype": "float32",
    "image_processor_class": image_processor_class,
    "prompt_template": ranker.prompt_template,
    "token_false_id": ranker.token_false_id, "token_true_id": ranker.token_true_id,
    "min_pixels": MIN_PIXELS, "max_pixels": MAX_PIXELS,
    "images": images_out,
    "first_query": QUERIES[0],
    "per_image_first_query": per_image,
    "lora": {"r": R, "lora_alpha": ALPHA, "rank_pattern": RANK_PATTERN, "alpha_pattern": ALPHA_PATTERN,
             "target_modules": TARGET, "merged_keys": sorted(merged),
             "formula": "W + (lora_alpha / r) * (lora_B @ lora_A), patterns per PEFT get_pattern_key"},
    "rerankers": {"commit": "7bb252179daaf1968eb9d49629c9cf48b0f9b5f2", "ranker_class": "MonoVLMRanker",
                  "kwargs": {"processor_name": "tiny-qwen2vl", "dtype": "torch.float32", "device": "cpu",
                             "attention_implementation": "eager"},
                  "compat_shims": shims,
                  "base": base_scores, "lora_merged": lora_scores},
    "files_sha256": {},
}
for root, _, files in sorted(os.walk(OUT)):
    for f in sorted(files):
        if f != "expected.json":
            rel = os.path.relpath(os.path.join(root, f), OUT)
            expected["files_sha256"][rel] = sha256(os.path.join(root, f))
with open(os.path.join(OUT, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1, ensure_ascii=False)
    f.write("\n")
print("image processor:", image_processor_class)
for e in images_out:
    print(e["file"], e["mode"], (e["height"], e["width"]), "->", (e["resized_height"], e["resized_width"]),
          "pil backend equal:", e["pil_backend_pixel_values_equal"], e["pil_backend_max_abs_diff"])
for name, s in (("base", base_scores), ("lora", lora_scores)):
    for c in s:
        print(name, c["scores_in_input_order"], "gap", c["min_gap_between_sorted_scores"])
