"""Makes the flashrank row's MiniLM-size cross-encoder (run with ../shared/tools/pyref; rerankers-bench's
ModelStore calls it). Usage: make_flashrank_model.py OUT_DIR TOKENIZER_JSON [--tiny]

A BertForSequenceClassification shaped like cross-encoder/ms-marco-MiniLM-L-12-v2 (12 layers,
hidden 384, 12 heads, intermediate 1536, 512 positions, 1 label) with seeded random weights (no
trained cross-encoder is reachable offline; speed depends on the shape, not the values), the real
bert-base-uncased WordPiece tokenizer (from the all-MiniLM-L6-v2 jar), exported by torch.onnx and
dynamically quantized, laid out like FlashRank's ms-marco-MiniLM-L-12-v2 folder:
flashrank-MiniLM-L-12-v2.onnx (fp32), flashrank-MiniLM-L-12-v2_Q.onnx (int8, the file FlashRank
ships), config.json, tokenizer.json, tokenizer_config.json, special_tokens_map.json.
--tiny (the runner's --smoke): 1 layer, 32 wide, 2 heads.
"""
import json
import os
import sys

import onnx
import torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from transformers import BertConfig, BertForSequenceClassification

out, tok_json = sys.argv[1], sys.argv[2]
tiny = "--tiny" in sys.argv[3:]
os.makedirs(out, exist_ok=True)
torch.manual_seed(42)
cfg = BertConfig(vocab_size=30522, hidden_size=32 if tiny else 384, num_hidden_layers=1 if tiny else 12,
                 num_attention_heads=2 if tiny else 12, intermediate_size=64 if tiny else 1536, max_position_embeddings=512, type_vocab_size=2, num_labels=1,
                 pad_token_id=0, hidden_act="gelu")
model = BertForSequenceClassification(cfg).eval()
cfg.architectures = ["BertForSequenceClassification"]
json.dump(cfg.to_dict(), open(os.path.join(out, "config.json"), "w"), indent=1)

tok = json.load(open(tok_json))
tok["truncation"] = None
tok["padding"] = None
json.dump(tok, open(os.path.join(out, "tokenizer.json"), "w"), ensure_ascii=False)
special = {"unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]", "cls_token": "[CLS]",
           "mask_token": "[MASK]"}
json.dump(special, open(os.path.join(out, "special_tokens_map.json"), "w"), indent=1)
json.dump(dict(special, model_max_length=512, do_lower_case=True, tokenizer_class="BertTokenizer"),
          open(os.path.join(out, "tokenizer_config.json"), "w"), indent=1)


class Wrap(torch.nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m

    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.m(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).logits


names = ["input_ids", "attention_mask", "token_type_ids"]
fp32 = os.path.join(out, "flashrank-MiniLM-L-12-v2.onnx")
axes = {n: {0: "batch", 1: "sequence"} for n in names}
axes["logits"] = {0: "batch"}
dummy = tuple(torch.ones((2, 16), dtype=torch.long) for _ in names)
torch.onnx.export(Wrap(model), dummy, fp32, input_names=names, output_names=["logits"], dynamic_axes=axes,
                  opset_version=14, dynamo=False)
for path in (fp32,):
    m = onnx.load(path)
    if m.ir_version > 10:
        m.ir_version = 10
        onnx.save(m, path)
q = os.path.join(out, "flashrank-MiniLM-L-12-v2_Q.onnx")
quantize_dynamic(fp32, q, weight_type=QuantType.QInt8)
m = onnx.load(q)
if m.ir_version > 10:
    m.ir_version = 10
    onnx.save(m, q)
print("bench model written to", out)
