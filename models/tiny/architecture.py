"""A tiny model of Stable Diffusion's architecture (PyTorch), for tests and the offline demo.

Same structure and ONNX I/O names as public SD 1.x exports, scaled down:
- CLIP-like text encoder: token + position embeddings, pre-LN causal transformer layers.
- UNet: ResNet blocks with a time embedding; transformer blocks with self-attention,
  cross-attention on the text and a GEGLU feed-forward, at 16x16 and 8x8 (for a 16x16 latent).
- VAE decoder: post-quant conv, mid ResNet/attention, nearest-upsampling ResNet stages.
Attention is plain MatMul -> Mul(scale) -> Softmax -> MatMul on [B, heads, N, d] tensors,
as unfused public exports have it, because the MaskDiffusion patcher rewrites that pattern.
"""
import math

import torch
from torch import nn
import torch.nn.functional as F


class TinyConfig:
    vocab_size = 897
    max_length = 77
    text_dim = 64
    text_layers = 2
    text_heads = 2
    latent_channels = 4
    unet_channels = (32, 64)
    unet_head_dim = 16
    time_dim = 128
    vae_channels = (64, 64, 32, 16)  # 16x16 -> 32 -> 64 -> 128
    groups = 8


class Attention(nn.Module):
    """Multi-head attention written as public SD exports have it (no fused kernel)."""

    def __init__(self, dim, heads, context_dim=None):
        super().__init__()
        self.heads = heads
        self.head_dim = dim // heads
        self.scale = self.head_dim ** -0.5
        self.to_q = nn.Linear(dim, dim, bias=False)
        self.to_k = nn.Linear(context_dim or dim, dim, bias=False)
        self.to_v = nn.Linear(context_dim or dim, dim, bias=False)
        self.to_out = nn.Linear(dim, dim)

    def split_heads(self, x):
        b, n, _ = x.shape
        return x.reshape(b, n, self.heads, self.head_dim).transpose(1, 2)

    def forward(self, x, context=None, additive_mask=None):
        context = x if context is None else context
        q = self.split_heads(self.to_q(x))
        k = self.split_heads(self.to_k(context))
        v = self.split_heads(self.to_v(context))
        scores = torch.matmul(q, k.transpose(-1, -2)) * self.scale
        if additive_mask is not None:
            scores = scores + additive_mask
        probs = scores.softmax(dim=-1)
        out = torch.matmul(probs, v).transpose(1, 2)
        b, n = out.shape[0], out.shape[1]
        return self.to_out(out.reshape(b, n, -1))


class TextEncoder(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        d = cfg.text_dim
        self.token_embedding = nn.Embedding(cfg.vocab_size, d)
        self.position_embedding = nn.Parameter(torch.randn(cfg.max_length, d) * 0.02)
        self.layers = nn.ModuleList()
        for _ in range(cfg.text_layers):
            self.layers.append(nn.ModuleDict({
                "ln1": nn.LayerNorm(d), "attn": Attention(d, cfg.text_heads),
                "ln2": nn.LayerNorm(d), "fc1": nn.Linear(d, 4 * d), "fc2": nn.Linear(4 * d, d),
            }))
        self.final_layer_norm = nn.LayerNorm(d)
        causal = torch.full((cfg.max_length, cfg.max_length), float("-inf")).triu(1)
        self.register_buffer("causal_mask", causal, persistent=False)

    def forward(self, input_ids):
        x = self.token_embedding(input_ids) + self.position_embedding
        for layer in self.layers:
            x = x + layer["attn"](layer["ln1"](x), additive_mask=self.causal_mask)
            h = layer["fc1"](layer["ln2"](x))
            x = x + layer["fc2"](h * torch.sigmoid(1.702 * h))  # CLIP's quick_gelu
        return self.final_layer_norm(x)


def timestep_embedding(t, dim):
    """Sinusoidal embedding as SD's UNet (flip_sin_to_cos=True, freq_shift=0)."""
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
    args = t.float()[:, None] * freqs[None, :]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=-1)


class ResnetBlock(nn.Module):
    def __init__(self, cin, cout, groups, temb_dim=None):
        super().__init__()
        self.norm1 = nn.GroupNorm(groups, cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.time_emb_proj = nn.Linear(temb_dim, cout) if temb_dim else None
        self.norm2 = nn.GroupNorm(groups, cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.shortcut = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x, temb=None):
        h = self.conv1(F.silu(self.norm1(x)))
        if self.time_emb_proj is not None:
            h = h + self.time_emb_proj(F.silu(temb))[:, :, None, None]
        h = self.conv2(F.silu(self.norm2(h)))
        return self.shortcut(x) + h


class TransformerBlock(nn.Module):
    """SD's Transformer2DModel with one BasicTransformerBlock.

    make_attention(context_dim) builds each attention (None: self-attention); the test fixtures pass one that
    exports other attention forms. Modules are created in the same order either way, so a seed gives the same weights.
    """

    def __init__(self, channels, heads, context_dim, groups, make_attention=None):
        super().__init__()
        make_attention = make_attention or (lambda ctx: Attention(channels, heads, ctx))
        self.norm = nn.GroupNorm(groups, channels)
        self.proj_in = nn.Linear(channels, channels)
        self.norm1 = nn.LayerNorm(channels)
        self.attn1 = make_attention(None)  # self-attention
        self.norm2 = nn.LayerNorm(channels)
        self.attn2 = make_attention(context_dim)  # cross-attention on the text
        self.norm3 = nn.LayerNorm(channels)
        self.ff_in = nn.Linear(channels, channels * 8)  # GEGLU: 2 x 4C
        self.ff_out = nn.Linear(channels * 4, channels)
        self.proj_out = nn.Linear(channels, channels)

    def forward(self, x, context):
        b, c, h, w = x.shape
        residual = x
        x = self.norm(x).reshape(b, c, h * w).transpose(1, 2)
        x = self.proj_in(x)
        x = x + self.attn1(self.norm1(x))
        x = x + self.attn2(self.norm2(x), context)
        value, gate = self.ff_in(self.norm3(x)).chunk(2, dim=-1)
        x = x + self.ff_out(value * F.gelu(gate))
        x = self.proj_out(x).transpose(1, 2).reshape(b, c, h, w)
        return x + residual


class UNet(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        c0, c1 = cfg.unet_channels
        g, td, ctx = cfg.groups, cfg.time_dim, cfg.text_dim
        self.time_in_dim = c0
        self.time_embedding = nn.Sequential(nn.Linear(c0, td), nn.SiLU(), nn.Linear(td, td))
        self.conv_in = nn.Conv2d(cfg.latent_channels, c0, 3, padding=1)
        self.down0_res = ResnetBlock(c0, c0, g, td)
        self.down0_attn = TransformerBlock(c0, c0 // cfg.unet_head_dim, ctx, g)
        self.downsample = nn.Conv2d(c0, c0, 3, stride=2, padding=1)
        self.down1_res = ResnetBlock(c0, c1, g, td)
        self.down1_attn = TransformerBlock(c1, c1 // cfg.unet_head_dim, ctx, g)
        self.mid_res1 = ResnetBlock(c1, c1, g, td)
        self.mid_attn = TransformerBlock(c1, c1 // cfg.unet_head_dim, ctx, g)
        self.mid_res2 = ResnetBlock(c1, c1, g, td)
        self.up1_res = ResnetBlock(c1 + c1, c1, g, td)
        self.up1_attn = TransformerBlock(c1, c1 // cfg.unet_head_dim, ctx, g)
        self.upsample_conv = nn.Conv2d(c1, c1, 3, padding=1)
        self.up0_res = ResnetBlock(c1 + c0, c0, g, td)
        self.up0_attn = TransformerBlock(c0, c0 // cfg.unet_head_dim, ctx, g)
        self.norm_out = nn.GroupNorm(g, c0)
        self.conv_out = nn.Conv2d(c0, cfg.latent_channels, 3, padding=1)

    def forward(self, sample, timestep, encoder_hidden_states):
        # `timestep` is [B] or [1]; broadcast it to the batch as diffusers does.
        t = timestep.expand(sample.shape[0])
        temb = self.time_embedding(timestep_embedding(t, self.time_in_dim))
        x = self.conv_in(sample)
        skip0 = self.down0_attn(self.down0_res(x, temb), encoder_hidden_states)
        x = self.downsample(skip0)
        skip1 = self.down1_attn(self.down1_res(x, temb), encoder_hidden_states)
        x = self.mid_res1(skip1, temb)
        x = self.mid_attn(x, encoder_hidden_states)
        x = self.mid_res2(x, temb)
        x = self.up1_attn(self.up1_res(torch.cat([x, skip1], 1), temb), encoder_hidden_states)
        x = self.upsample_conv(F.interpolate(x, scale_factor=2.0, mode="nearest"))
        x = self.up0_attn(self.up0_res(torch.cat([x, skip0], 1), temb), encoder_hidden_states)
        return self.conv_out(F.silu(self.norm_out(x)))


class VaeMidAttention(nn.Module):
    def __init__(self, channels, groups):
        super().__init__()
        self.norm = nn.GroupNorm(groups, channels)
        self.attn = Attention(channels, 1)

    def forward(self, x):
        b, c, h, w = x.shape
        y = self.norm(x).reshape(b, c, h * w).transpose(1, 2)
        y = self.attn(y).transpose(1, 2).reshape(b, c, h, w)
        return x + y


class VaeDecoder(nn.Module):
    """SD's VAE decoder: post-quant conv, conv in, the mid block, nearest-upsampling ResNet stages, conv out.

    A subclass may build another mid block (build_middle / middle): the test fixtures do. Modules are created
    in this order either way, so a seed gives the same weights.
    """

    def __init__(self, cfg):
        super().__init__()
        chans, g = cfg.vae_channels, cfg.groups
        self.post_quant_conv = nn.Conv2d(cfg.latent_channels, cfg.latent_channels, 1)
        self.conv_in = nn.Conv2d(cfg.latent_channels, chans[0], 3, padding=1)
        self.build_middle(chans[0], g)
        self.up_blocks = nn.ModuleList([ResnetBlock(chans[i], chans[i + 1], g) for i in range(len(chans) - 1)])
        self.up_convs = nn.ModuleList([nn.Conv2d(chans[i + 1], chans[i + 1], 3, padding=1) for i in range(len(chans) - 1)])
        self.norm_out = nn.GroupNorm(g, chans[-1])
        self.conv_out = nn.Conv2d(chans[-1], 3, 3, padding=1)

    def build_middle(self, channels, groups):
        self.mid_res1 = ResnetBlock(channels, channels, groups)
        self.mid_attn = VaeMidAttention(channels, groups)
        self.mid_res2 = ResnetBlock(channels, channels, groups)

    def middle(self, x):
        return self.mid_res2(self.mid_attn(self.mid_res1(x)))

    def forward(self, latent_sample):
        x = self.middle(self.conv_in(self.post_quant_conv(latent_sample)))
        for res, conv in zip(self.up_blocks, self.up_convs):
            x = conv(F.interpolate(res(x), scale_factor=2.0, mode="nearest"))
        return self.conv_out(F.silu(self.norm_out(x)))
