"""Idefics3 / SmolVLM architecture in plain PyTorch, split the way the public ONNX exports are.

HuggingFace `transformers` (Python) is not available here, so this re-states the parts of
Idefics3ForConditionalGeneration that SmolVLM-256M-Instruct uses, at any size:
- vision encoder: SigLIP-style patch embedding (Conv2d), learned position embedding, pre-norm
  transformer layers (LayerNorm, multi-head attention with biases, GELU-tanh MLP), post LayerNorm;
  then the Idefics3 connector: pixel shuffle by `scale_factor` and a bias-free linear projection
  to the text width. Images that are all zeros (batch padding) are dropped, as Idefics3 does.
- token embedding: one nn.Embedding.
- decoder: Llama (RMSNorm, rotary position embedding, grouped-query attention, SiLU MLP, LM head)
  with the optimum "merged" KV-cache I/O: past_key_values.{i}.key/value in, present.{i}.* out.
"""
import math
from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F

# Additive bias for masked attention entries; finite so an all-masked row cannot make NaN.
MASKED = -1e9


@dataclass
class VisionConfig:
    hidden_size: int = 32
    intermediate_size: int = 64
    num_hidden_layers: int = 2
    num_attention_heads: int = 2
    image_size: int = 64
    patch_size: int = 8
    layer_norm_eps: float = 1e-6


@dataclass
class TextConfig:
    vocab_size: int = 0  # set from the tokenizer
    hidden_size: int = 64
    intermediate_size: int = 128
    num_hidden_layers: int = 4
    num_attention_heads: int = 4
    num_key_value_heads: int = 2
    head_dim: int = 16
    rms_norm_eps: float = 1e-5
    rope_theta: float = 100000.0
    max_position_embeddings: int = 8192


class VisionAttention(nn.Module):
    def __init__(self, cfg: VisionConfig):
        super().__init__()
        self.heads = cfg.num_attention_heads
        self.head_dim = cfg.hidden_size // cfg.num_attention_heads
        self.q_proj = nn.Linear(cfg.hidden_size, cfg.hidden_size)
        self.k_proj = nn.Linear(cfg.hidden_size, cfg.hidden_size)
        self.v_proj = nn.Linear(cfg.hidden_size, cfg.hidden_size)
        self.out_proj = nn.Linear(cfg.hidden_size, cfg.hidden_size)

    def forward(self, x, bias):
        b, s, d = x.shape
        split = lambda t: t.view(b, s, self.heads, self.head_dim).transpose(1, 2)  # noqa: E731
        q, k, v = split(self.q_proj(x)), split(self.k_proj(x)), split(self.v_proj(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_dim) + bias
        out = torch.matmul(torch.softmax(scores, dim=-1), v)
        return self.out_proj(out.transpose(1, 2).reshape(b, s, d))


class VisionLayer(nn.Module):
    def __init__(self, cfg: VisionConfig):
        super().__init__()
        self.layer_norm1 = nn.LayerNorm(cfg.hidden_size, eps=cfg.layer_norm_eps)
        self.self_attn = VisionAttention(cfg)
        self.layer_norm2 = nn.LayerNorm(cfg.hidden_size, eps=cfg.layer_norm_eps)
        self.fc1 = nn.Linear(cfg.hidden_size, cfg.intermediate_size)
        self.fc2 = nn.Linear(cfg.intermediate_size, cfg.hidden_size)

    def forward(self, x, bias):
        x = x + self.self_attn(self.layer_norm1(x), bias)
        return x + self.fc2(F.gelu(self.fc1(self.layer_norm2(x)), approximate="tanh"))


class VisionEncoder(nn.Module):
    """pixel_values [B, N, 3, H, W], pixel_attention_mask [B, N, H, W] -> image_features [M, tokens, text width]."""

    def __init__(self, vision: VisionConfig, text_width: int, scale_factor: int):
        super().__init__()
        self.cfg = vision
        self.scale_factor = scale_factor
        self.patches_per_side = vision.image_size // vision.patch_size
        self.patch_embedding = nn.Conv2d(3, vision.hidden_size, vision.patch_size, stride=vision.patch_size)
        self.position_embedding = nn.Embedding(self.patches_per_side ** 2, vision.hidden_size)
        self.layers = nn.ModuleList([VisionLayer(vision) for _ in range(vision.num_hidden_layers)])
        self.post_layernorm = nn.LayerNorm(vision.hidden_size, eps=vision.layer_norm_eps)
        self.modality_projection = nn.Linear(vision.hidden_size * scale_factor ** 2, text_width, bias=False)

    def pixel_shuffle(self, x):
        # Idefics3Connector.pixel_shuffle: trades sequence length for width, scale_factor^2 to one.
        s = self.scale_factor
        bsz, seq, embed = x.shape
        side = self.patches_per_side
        x = x.reshape(bsz, side, side // s, embed * s)
        x = x.permute(0, 2, 1, 3)
        x = x.reshape(bsz, side // s, side // s, embed * s * s)
        x = x.permute(0, 2, 1, 3)
        return x.reshape(bsz, seq // (s * s), embed * s * s)

    def forward(self, pixel_values, pixel_attention_mask):
        c, h, w = pixel_values.shape[2], pixel_values.shape[3], pixel_values.shape[4]
        pixels = pixel_values.reshape(-1, c, h, w)
        mask = pixel_attention_mask.reshape(-1, h, w)
        real = (pixels == 0.0).to(torch.int64).sum(dim=(1, 2, 3)) != c * h * w
        pixels, mask = pixels[real], mask[real]

        p = self.cfg.patch_size
        patch_mask = mask.reshape(-1, h // p, p, w // p, p).to(torch.int64).sum(dim=(2, 4)) > 0
        patch_mask = patch_mask.reshape(patch_mask.shape[0], -1)
        # Full tiles (the only kind a single image makes) have positions 0..N-1, which is what
        # Idefics3's bucketised position ids give for a fully valid patch grid.
        positions = torch.arange(self.patches_per_side ** 2, device=pixels.device)
        x = self.patch_embedding(pixels).flatten(2).transpose(1, 2) + self.position_embedding(positions)
        bias = torch.where(patch_mask[:, None, None, :], torch.zeros(()), torch.full((), MASKED))
        for layer in self.layers:
            x = layer(x, bias)
        return self.modality_projection(self.pixel_shuffle(self.post_layernorm(x)))


class RmsNorm(nn.Module):
    def __init__(self, width, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(width))
        self.eps = eps

    def forward(self, x):
        return self.weight * (x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps))


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class DecoderAttention(nn.Module):
    def __init__(self, cfg: TextConfig):
        super().__init__()
        self.cfg = cfg
        self.q_proj = nn.Linear(cfg.hidden_size, cfg.num_attention_heads * cfg.head_dim, bias=False)
        self.k_proj = nn.Linear(cfg.hidden_size, cfg.num_key_value_heads * cfg.head_dim, bias=False)
        self.v_proj = nn.Linear(cfg.hidden_size, cfg.num_key_value_heads * cfg.head_dim, bias=False)
        self.o_proj = nn.Linear(cfg.num_attention_heads * cfg.head_dim, cfg.hidden_size, bias=False)

    def forward(self, x, cos, sin, bias, past_key, past_value):
        cfg = self.cfg
        b, s, _ = x.shape
        q = self.q_proj(x).view(b, s, cfg.num_attention_heads, cfg.head_dim).transpose(1, 2)
        k = self.k_proj(x).view(b, s, cfg.num_key_value_heads, cfg.head_dim).transpose(1, 2)
        v = self.v_proj(x).view(b, s, cfg.num_key_value_heads, cfg.head_dim).transpose(1, 2)
        q, k = q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin
        key, value = torch.cat([past_key, k], dim=2), torch.cat([past_value, v], dim=2)
        group = cfg.num_attention_heads // cfg.num_key_value_heads
        t = key.shape[2]
        expand = lambda kv: kv[:, :, None].expand(b, cfg.num_key_value_heads, group, t, cfg.head_dim).reshape(b, cfg.num_attention_heads, t, cfg.head_dim)  # noqa: E731
        scores = torch.matmul(q, expand(key).transpose(-1, -2)) / math.sqrt(cfg.head_dim) + bias
        out = torch.matmul(torch.softmax(scores, dim=-1), expand(value))
        return self.o_proj(out.transpose(1, 2).reshape(b, s, -1)), key, value


class DecoderLayer(nn.Module):
    def __init__(self, cfg: TextConfig):
        super().__init__()
        self.input_layernorm = RmsNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.self_attn = DecoderAttention(cfg)
        self.post_attention_layernorm = RmsNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.gate_proj = nn.Linear(cfg.hidden_size, cfg.intermediate_size, bias=False)
        self.up_proj = nn.Linear(cfg.hidden_size, cfg.intermediate_size, bias=False)
        self.down_proj = nn.Linear(cfg.intermediate_size, cfg.hidden_size, bias=False)

    def forward(self, x, cos, sin, bias, past_key, past_value):
        attn, key, value = self.self_attn(self.input_layernorm(x), cos, sin, bias, past_key, past_value)
        x = x + attn
        h = self.post_attention_layernorm(x)
        return x + self.down_proj(F.silu(self.gate_proj(h)) * self.up_proj(h)), key, value


class Decoder(nn.Module):
    """inputs_embeds, attention_mask, position_ids, past_key_values.* -> logits, present.*"""

    def __init__(self, cfg: TextConfig):
        super().__init__()
        self.cfg = cfg
        self.layers = nn.ModuleList([DecoderLayer(cfg) for _ in range(cfg.num_hidden_layers)])
        self.norm = RmsNorm(cfg.hidden_size, cfg.rms_norm_eps)
        self.lm_head = nn.Linear(cfg.hidden_size, cfg.vocab_size, bias=False)
        inv_freq = 1.0 / (cfg.rope_theta ** (torch.arange(0, cfg.head_dim, 2, dtype=torch.float32) / cfg.head_dim))
        self.register_buffer("inv_freq", inv_freq, persistent=False)

    def forward(self, inputs_embeds, attention_mask, position_ids, *past):
        s = inputs_embeds.shape[1]
        past_len = past[0].shape[2]
        total = attention_mask.shape[1]
        query_pos = torch.arange(s)[:, None] + past_len
        causal = torch.arange(total)[None, :] <= query_pos
        allowed = causal[None, None] & (attention_mask[:, None, None, :] > 0)
        bias = torch.where(allowed, torch.zeros(()), torch.full((), MASKED))

        freqs = position_ids[:, :, None].to(torch.float32) * self.inv_freq[None, None, :]
        angles = torch.cat([freqs, freqs], dim=-1)
        cos, sin = angles.cos()[:, None], angles.sin()[:, None]

        x = inputs_embeds
        presents = []
        for i, layer in enumerate(self.layers):
            x, key, value = layer(x, cos, sin, bias, past[2 * i], past[2 * i + 1])
            presents += [key, value]
        return (self.lm_head(self.norm(x)), *presents)
