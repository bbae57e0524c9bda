# Exports the benchmark cross-encoder folder to ONNX for the Python onnxruntime rows of GraphBenchmark:
# torch.onnx.export of AutoModelForSequenceClassification (opset 14, dynamic batch and length) -> model.onnx,
# then onnxruntime's quantize_dynamic (int8 weights, as FlashRank's *_Q.onnx files) -> model_int8.onnx.
# Usage: pyref run export_onnx.py MODEL_DIR OUT_DIR
import os, sys
import onnx, torch
from onnxruntime.quantization import QuantType, quantize_dynamic
from transformers import AutoModelForSequenceClassification

model_dir, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
model = AutoModelForSequenceClassification.from_pretrained(model_dir).eval()

class Wrap(torch.nn.Module):
    def __init__(self, m):
        super().__init__()
        self.m = m
    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.m(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).logits

names = ["input_ids", "attention_mask", "token_type_ids"]
axes = {n: {0: "batch", 1: "sequence"} for n in names}
axes["logits"] = {0: "batch"}
dummy = tuple(torch.ones((2, 16), dtype=torch.long) for _ in names)
fp32 = os.path.join(out, "model.onnx")
torch.onnx.export(Wrap(model), dummy, fp32, input_names=names, output_names=["logits"], dynamic_axes=axes,
                  opset_version=14, dynamo=False)
m = onnx.load(fp32)
if m.ir_version > 10:
    m.ir_version = 10
    onnx.save(m, fp32)
q = os.path.join(out, "model_int8.onnx")
quantize_dynamic(fp32, q, weight_type=QuantType.QInt8)
print("exported", fp32, q)
