"""Inverse frequencies and attention factors from transformers' ROPE_INIT_FUNCTIONS, for
RotaryScalingTest. Run: cd rerankers-transformers/src/test/resources && ../../../../../shared/tools/pyref run rope/make_rope.py"""
import json, os
import torch, transformers
from transformers import LlamaConfig
from transformers.modeling_rope_utils import ROPE_INIT_FUNCTIONS

cases = [
    {"name": "default", "rope": {"rope_type": "default", "rope_theta": 10000.0}, "seq_len": None},
    {"name": "linear", "rope": {"rope_type": "linear", "rope_theta": 10000.0, "factor": 4.0}, "seq_len": None},
    {"name": "dynamic-short", "rope": {"rope_type": "dynamic", "rope_theta": 10000.0, "factor": 2.0}, "seq_len": 100},
    {"name": "dynamic-long", "rope": {"rope_type": "dynamic", "rope_theta": 10000.0, "factor": 2.0}, "seq_len": 700},
    {"name": "yarn", "rope": {"rope_type": "yarn", "rope_theta": 1000000.0, "factor": 4.0,
                              "original_max_position_embeddings": 128}, "seq_len": None},
    {"name": "yarn-mscale", "rope": {"rope_type": "yarn", "rope_theta": 10000.0, "factor": 8.0, "mscale": 1.0,
                                     "mscale_all_dim": 0.5, "beta_fast": 16, "beta_slow": 2,
                                     "original_max_position_embeddings": 64}, "seq_len": None},
]
out = {"transformers": transformers.__version__, "head_dim": 16, "max_position_embeddings": 512, "cases": []}
for c in cases:
    cfg = LlamaConfig(hidden_size=64, num_attention_heads=4, head_dim=16, max_position_embeddings=512,
                      rope_parameters=dict(c["rope"]))
    fn = ROPE_INIT_FUNCTIONS[c["rope"]["rope_type"]] if c["rope"]["rope_type"] != "default" else None
    if fn is None:
        inv = 1.0 / (10000.0 ** (torch.arange(0, 16, 2, dtype=torch.int64).float() / 16))
        att = 1.0
    else:
        inv, att = fn(cfg, "cpu", seq_len=c["seq_len"])
    out["cases"].append({**c, "inv_freq": [float(x) for x in inv.tolist()], "attention_factor": float(att)})
json.dump(out, open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "expected.json"), "w"), indent=1)
print("ok")
