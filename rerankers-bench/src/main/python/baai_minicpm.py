"""BAAI's LayerWiseMiniCPMForCausalLM (bge-reranker-v2-minicpm-layerwise) as remote code, for make_models.py
and peer.py.

The modelling code is not part of transformers and is not copied into this project: ModelStore exports
BAAI's own files from the FlagEmbedding mirror (baai_sources.sh, a pinned commit) into the models folder's
`_baai-minicpm`, and make_models.py copies them into the model folder with config.json's `auto_map`
pointing at them, as the Hub repository does; both the checkpoint's making and the Python peer then load
BAAI's class through AutoModelForCausalLM with trust_remote_code=True.

FlagEmbedding's file imports `FlagEmbedding.utils.transformers_compat` (its transformers-5 helper, 25 lines);
the exported tree holds that one module under `_flagembedding/`, which goes on sys.path (the rest of the
FlagEmbedding package is not needed and not present).

BAAI's code was written for transformers 4; under transformers 5 it needs four shims, each applied to BAAI's
classes only (or, for the cache API, only where transformers 5 lacks the method): the transformers-4 cache
calls (shims()), `rope_scaling` (rope_scaling_shim), `_tied_weights_keys` (tied_weights_shim) and the rotary
buffers after loading (rotary_buffers_shim). None changes what the model computes; without the last one it
computes NaN.

minicpm_parity.py + MiniCpmParity.java compare its scores with the Java side's on a row's pairs.
"""
import os
import sys

FILES = ("modeling_minicpm_reranker.py", "configuration_minicpm_reranker.py")
PACKAGE = "_flagembedding"  # holds FlagEmbedding/utils/transformers_compat.py (BAAI's)
AUTO_MAP = {"AutoConfig": "configuration_minicpm_reranker.LayerWiseMiniCPMConfig",
            "AutoModel": "modeling_minicpm_reranker.LayerWiseMiniCPMModel",
            "AutoModelForCausalLM": "modeling_minicpm_reranker.LayerWiseMiniCPMForCausalLM"}


def is_remote(model_dir):
    return os.path.isdir(os.path.join(model_dir, PACKAGE))


def install(model_dir):
    """Makes the model folder's BAAI code importable and runnable under transformers 5 (see shims())."""
    sys.path.insert(0, os.path.join(model_dir, PACKAGE))
    shims()
    # the same module object AutoConfig / AutoModelForCausalLM use later (transformers caches it by file hash)
    from transformers.dynamic_module_utils import get_class_from_dynamic_module
    config_class = get_class_from_dynamic_module(AUTO_MAP["AutoConfig"], model_dir)
    rope_scaling_shim(config_class)
    model_class = get_class_from_dynamic_module(AUTO_MAP["AutoModelForCausalLM"], model_dir)
    tied_weights_shim(model_class)
    rotary_buffers_shim(model_class)


def rotary_buffers_shim(model_class):
    """transformers 5 builds a model on the meta device and gives non-persistent buffers (BAAI's rotary
    `inv_freq`, `cos_cached`, `sin_cached`, computed in the module's __init__ and not in the checkpoint)
    uninitialised memory (torch.empty_like); it recomputes them only for its own rotary classes, so BAAI's
    model scores NaN (or garbage). After from_pretrained, each rotary module runs BAAI's own __init__
    again (same arguments), which recomputes the buffers as transformers 4 had them."""
    if getattr(model_class, "_bench_rotary_shim", False):
        return
    original = model_class.from_pretrained.__func__

    def from_pretrained(cls, *a, **k):
        model = original(cls, *a, **k)
        for module in model.modules():
            if type(module).__name__.endswith("RotaryEmbedding") and hasattr(module, "_set_cos_sin_cache"):
                device = module.inv_freq.device
                extra = {"scaling_factor": module.scaling_factor} if hasattr(module, "scaling_factor") else {}
                type(module).__init__(module, module.dim, module.max_position_embeddings, module.base, device=device,
                                      **extra)
        return model
    model_class.from_pretrained = classmethod(from_pretrained)
    model_class._bench_rotary_shim = True


def tied_weights_shim(model_class):
    """BAAI's class declares `_tied_weights_keys = ["lm_head.weight"]` (transformers 4's list of weights tied
    to the input embedding); transformers 5 wants a {tied: source} dict and fails on the list when it saves
    or loads (AttributeError: 'list' object has no attribute 'keys'). The same declaration in the new form.
    Nothing is tied either way: the config has tie_word_embeddings false, and the per-layer heads have no
    `lm_head.weight`."""
    keys = model_class.__dict__.get("_tied_weights_keys")
    if isinstance(keys, list):
        model_class._tied_weights_keys = {k: "model.embed_tokens.weight" for k in keys}


def rope_scaling_shim(config_class):
    """transformers 5 turns `rope_scaling` into an alias of `rope_parameters`, which it fills with
    {"rope_type": "default", "rope_theta": ...} when the config has none; BAAI's attention reads
    `config.rope_scaling is None` (no scaling) or `rope_scaling["type"]` (linear, dynamic) and fails on
    that dict (KeyError: 'type'). On BAAI's config class only, `rope_scaling` reads back as transformers
    4 gave it: None for the default rope, {"type", "factor"} otherwise."""
    base = config_class.rope_scaling  # transformers 5's property (getter: rope_parameters)

    def getter(self):
        p = base.fget(self)
        if not p or p.get("type", p.get("rope_type")) == "default":
            return None
        return {"type": p.get("type", p.get("rope_type")), "factor": p["factor"]}
    config_class.rope_scaling = property(getter, base.fset)


def shims():
    """transformers-4 cache API BAAI's code calls (transformers 5 removed it). Only reached with use_cache (the
    config's default, true as in the Hub config); a ranking forward starts with no cache, so these return what
    transformers 4 returned for an empty cache: a fresh DynamicCache, and 0 past tokens."""
    from transformers.cache_utils import DynamicCache
    if not hasattr(DynamicCache, "from_legacy_cache"):
        def from_legacy_cache(cls, past_key_values=None):
            if past_key_values:
                raise NotImplementedError("shim: only an empty legacy cache is supported")
            return cls()
        DynamicCache.from_legacy_cache = classmethod(from_legacy_cache)
    if not hasattr(DynamicCache, "get_usable_length"):
        def get_usable_length(self, new_seq_length, layer_idx=0):
            return self.get_seq_length(layer_idx)
        DynamicCache.get_usable_length = get_usable_length
    if not hasattr(DynamicCache, "to_legacy_cache"):  # the returned cache; LLMLayerWiseRanker never reads it
        DynamicCache.to_legacy_cache = lambda self: None
