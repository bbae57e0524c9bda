# Exports the golden checkpoints (src/test/resources/golden/<Arch>) and the e2e "bert" case to
# TorchScript (model.pt, traced) and ONNX (model.onnx, dynamic batch and length), written next to
# this script under golden/<Arch>/ and e2e-bert/. Run with ../shared/tools/pyref:
#   cd rerankers-transformers/src/test/resources && ../../../../shared/tools/pyref run exports/export_golden.py
# Input contract (what the Java loader passes, in this order): input_ids, attention_mask, and
# token_type_ids only when config.json's type_vocab_size > 1. Output: logits [batch, labels].
import json, os, shutil, sys
import torch
from transformers import AutoModelForSequenceClassification

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "..", "golden")
E2E = os.path.join(HERE, "..", "e2e")
torch.manual_seed(0)
torch.set_num_threads(1)

class Logits(torch.nn.Module):
    def __init__(self, model, with_types):
        super().__init__()
        self.model = model
        self.with_types = with_types
    def forward(self, input_ids, attention_mask, token_type_ids=None):
        if self.with_types:
            return self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).logits
        return self.model(input_ids=input_ids, attention_mask=attention_mask).logits

def export(src, dst, sample_len=11):
    os.makedirs(dst, exist_ok=True)
    cfg = json.load(open(os.path.join(src, "config.json")))
    with_types = cfg.get("type_vocab_size", 0) > 1
    model = AutoModelForSequenceClassification.from_pretrained(src, attn_implementation="eager").eval()
    wrapped = Logits(model, with_types).eval()
    ids = torch.randint(5, 100, (2, sample_len))
    mask = torch.ones_like(ids)
    mask[1, sample_len - 3:] = 0
    args = (ids, mask, torch.zeros_like(ids)) if with_types else (ids, mask)
    names = ["input_ids", "attention_mask"] + (["token_type_ids"] if with_types else [])
    with torch.no_grad():
        traced = torch.jit.trace(wrapped, args, strict=False, check_trace=False)
        traced.save(os.path.join(dst, "model.pt"))
        torch.onnx.export(wrapped, args, os.path.join(dst, "model.onnx"), input_names=names,
                          output_names=["logits"], opset_version=17, dynamo=False,
                          dynamic_axes={n: {0: "batch", 1: "length"} for n in names} | {"logits": {0: "batch"}})
    shutil.copyfile(os.path.join(src, "config.json"), os.path.join(dst, "config.json"))
    for f in ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"]:
        if os.path.exists(os.path.join(src, f)):
            shutil.copyfile(os.path.join(src, f), os.path.join(dst, f))
    print(dst, "with token_type_ids" if with_types else "", os.path.getsize(os.path.join(dst, "model.pt")),
          os.path.getsize(os.path.join(dst, "model.onnx")))

for arch in sorted(os.listdir(GOLDEN)):
    export(os.path.join(GOLDEN, arch), os.path.join(HERE, "golden", arch))
export(os.path.join(E2E, "bert"), os.path.join(HERE, "e2e-bert"))
import transformers
print("torch", torch.__version__, "transformers", transformers.__version__)
