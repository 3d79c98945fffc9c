"""The VAE encoder the built-in decoder is trained with, and the latent normalisation folded into both.

The encoder mirrors models/tiny/architecture.py's VaeDecoder (128 -> 64 -> 32 -> 16 pixels, the
same ResNet and attention blocks) and predicts a diagonal Gaussian per latent pixel, as SD's VAE.
"""
import os
import sys

import torch
from torch import nn
import torch.nn.functional as F

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tiny"))
from architecture import ResnetBlock, VaeMidAttention  # noqa: E402

LATENT_SCALE = 0.18215  # SD 1.x's scaling factor, which the manifest (and pipeline) keep


class VaeEncoder(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        chans, g = tuple(reversed(cfg.vae_channels)), cfg.groups  # (16, 32, 64, 64)
        self.conv_in = nn.Conv2d(3, chans[0], 3, padding=1)
        self.down_blocks = nn.ModuleList([ResnetBlock(chans[i], chans[i + 1], g) for i in range(len(chans) - 1)])
        self.down_convs = nn.ModuleList([nn.Conv2d(chans[i + 1], chans[i + 1], 3, stride=2, padding=1) for i in range(len(chans) - 1)])
        self.mid_res1 = ResnetBlock(chans[-1], chans[-1], g)
        self.mid_attn = VaeMidAttention(chans[-1], g)
        self.mid_res2 = ResnetBlock(chans[-1], chans[-1], g)
        self.norm_out = nn.GroupNorm(g, chans[-1])
        self.conv_out = nn.Conv2d(chans[-1], 2 * cfg.latent_channels, 3, padding=1)  # mean, log-variance

    def forward(self, image):
        x = self.conv_in(image)
        for res, down in zip(self.down_blocks, self.down_convs):
            x = down(res(x))
        x = self.mid_res2(self.mid_attn(self.mid_res1(x)))
        mean, logvar = self.conv_out(F.silu(self.norm_out(x))).chunk(2, dim=1)
        return mean, logvar.clamp(-30.0, 20.0)


def kl_to_standard_normal(mean, logvar):
    return 0.5 * (mean.pow(2) + logvar.exp() - 1.0 - logvar).mean()


@torch.no_grad()
def fold_latent_normalisation(encoder, decoder, mean, std):
    """Makes encoder means (z - mean) * k with k = (1 / LATENT_SCALE) / std per channel, and the decoder
    take that: afterwards LATENT_SCALE * z has zero mean and unit variance, as SD's latents roughly do,
    so the diffusion model's latents match the manifest's scaling factor with no code changes."""
    c = mean.numel()
    k = (1.0 / LATENT_SCALE) / std
    w, b = encoder.conv_out.weight, encoder.conv_out.bias  # output channels: [mean (c), logvar (c)]
    w[:c] *= k[:, None, None, None]
    b[:c] = (b[:c] - mean) * k
    b[c:] += 2.0 * torch.log(k)
    pq = decoder.post_quant_conv  # 1x1 conv: W z + b with z = z' / k + mean
    pq.bias += (pq.weight[:, :, 0, 0] * mean[None, :]).sum(dim=1)
    pq.weight /= k[None, :, None, None]
    return k


def latent_stats(latents):
    """Per-channel mean and std of encoder means [N, C, H, W]."""
    flat = latents.transpose(0, 1).reshape(latents.shape[1], -1)
    return flat.mean(dim=1), flat.std(dim=1).clamp_min(1e-6)

