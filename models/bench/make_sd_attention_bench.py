"""Makes a denoiser-shaped bench graph with Stable Diffusion 1.x's attention shapes (random weights).

Three transformer blocks (self-attention, cross-attention on 77 tokens of width 768, GEGLU
feed-forward) with 8 heads: 320 channels (head 40) and 640 channels (head 80) at 32x32, and
1280 channels (head 160) at 16x16 after a stride-2 conv, then back up to the 4-channel output.
It has the UNet's I/O names so the attention patcher and the bench treat it as a denoiser.
Run: /usr/bin/python3 models/bench/make_sd_attention_bench.py OUT.onnx  (about 190 MB)
"""
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tiny"))
from architecture import TransformerBlock  # noqa: E402


class SdAttentionBench(nn.Module):
    def __init__(self):
        super().__init__()
        self.time_proj = nn.Linear(1, 320)
        self.conv_in = nn.Conv2d(4, 320, 3, padding=1)
        self.block320 = TransformerBlock(320, 8, 768, 32)
        self.widen = nn.Conv2d(320, 640, 1)
        self.block640 = TransformerBlock(640, 8, 768, 32)
        self.down = nn.Conv2d(640, 1280, 3, stride=2, padding=1)
        self.block1280 = TransformerBlock(1280, 8, 768, 32)
        self.up = nn.Conv2d(1280, 320, 3, padding=1)
        self.conv_out = nn.Conv2d(320, 4, 3, padding=1)

    def forward(self, sample, timestep, encoder_hidden_states):
        t = self.time_proj(timestep.expand(sample.shape[0])[:, None] / 1000.0)[:, :, None, None]
        x = self.conv_in(sample) + t
        x = self.widen(self.block320(x, encoder_hidden_states))
        x = self.down(self.block640(x, encoder_hidden_states))
        x = self.block1280(x, encoder_hidden_states)
        x = self.up(F.interpolate(x, scale_factor=2.0, mode="nearest"))
        return self.conv_out(x)


def main(out):
    torch.manual_seed(1)
    model = SdAttentionBench().eval()
    sample, timestep, text = torch.randn(2, 4, 32, 32), torch.tensor([500.0, 500.0]), torch.randn(2, 77, 768)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    torch.onnx.export(model, (sample, timestep, text), out, input_names=["sample", "timestep", "encoder_hidden_states"],
                      output_names=["out_sample"], dynamic_axes={"sample": {0: "batch"}, "timestep": {0: "batch"}, "encoder_hidden_states": {0: "batch"}},
                      opset_version=17, do_constant_folding=True)
    print(f"wrote {out} ({os.path.getsize(out) / 1e6:.0f} MB)")


if __name__ == "__main__":
    main(sys.argv[1])
