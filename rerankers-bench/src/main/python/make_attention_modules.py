"""TorchScript attention modules for FusedAttentionExperiment (run through ../shared/tools/pyref):

    make_attention_modules.py OUT_DIR

sdpa.pt   softmax(q kᵀ·scale + mask) v in one call to torch's scaled_dot_product_attention (the fused
          CPU kernel: flash-attention style, no [B, H, L, L] tensor in memory)
eager.pt  the same formula as separate ops (matmul, add, softmax, matmul), scripted: separates the
          cost of DJL's per-op JNI calls from the gain of the fused kernel
Inputs: q, k, v [B, H, L, d] fp32; mask [B, 1, 1, L] additive (0 or the dtype's minimum); scale a 0-d
tensor. torch.jit.script, saved by the chroot's torch, loaded by DJL's libtorch 2.7.1.
"""
import os
import sys

import torch


class Sdpa(torch.nn.Module):
    def forward(self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, mask: torch.Tensor,
                scale: torch.Tensor) -> torch.Tensor:
        return torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=mask, scale=float(scale.item()))


class Eager(torch.nn.Module):
    def forward(self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, mask: torch.Tensor,
                scale: torch.Tensor) -> torch.Tensor:
        s = torch.matmul(q * scale, k.transpose(2, 3))
        s = s + mask
        return torch.matmul(torch.softmax(s, dim=-1), v)


out = sys.argv[1]
os.makedirs(out, exist_ok=True)
for name, m in (("sdpa", Sdpa()), ("eager", Eager())):
    torch.jit.script(m.eval()).save(os.path.join(out, name + ".pt"))
print("written", out, torch.__version__)
