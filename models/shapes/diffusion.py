"""SD's noise schedule, the epsilon-prediction loss with classifier-free-guidance dropout, EMA, and a DDIM sampler.

The schedule is SD 1.x's (scaled-linear betas 0.00085..0.012 over 1000 steps), which the studio's
TypeScript schedulers (src/core/schedulers) assume for every sd1 manifest.
"""
import copy

import torch
import torch.nn.functional as F

TRAIN_STEPS = 1000
BETA_START, BETA_END = 0.00085, 0.012
MIN_SNR_GAMMA = 5.0  # Min-SNR weighting (Hang et al. 2023): converges faster than plain MSE on small budgets


def alphas_cumprod(device="cpu"):
    betas = torch.linspace(BETA_START ** 0.5, BETA_END ** 0.5, TRAIN_STEPS, dtype=torch.float64) ** 2
    return torch.cumprod(1.0 - betas, dim=0).float().to(device)


def diffusion_loss(unet, text_encoder, latents, ids, empty_ids, abar, cfg_dropout, generator=None):
    """Epsilon-prediction MSE at uniform random timesteps; a cfg_dropout share of captions become the empty prompt."""
    b = latents.shape[0]
    device = latents.device
    drop = torch.rand(b, device=device, generator=generator) < cfg_dropout
    ids = torch.where(drop[:, None], empty_ids[None, :].expand_as(ids), ids)
    t = torch.randint(0, TRAIN_STEPS, (b,), device=device, generator=generator)
    noise = torch.randn(latents.shape, device=device, generator=generator)
    a = abar[t][:, None, None, None]
    noisy = a.sqrt() * latents + (1 - a).sqrt() * noise
    pred = unet(noisy, t.float(), text_encoder(ids))
    snr = abar[t] / (1 - abar[t])
    weight = torch.minimum(snr, torch.full_like(snr, MIN_SNR_GAMMA)) / snr
    per_sample = F.mse_loss(pred.float(), noise, reduction="none").mean(dim=(1, 2, 3))
    return (weight * per_sample).mean()


class Ema:
    """Exponential moving average of a module's weights (with the usual warm-up of the decay)."""

    def __init__(self, module, decay):
        self.decay = decay
        self.module = copy.deepcopy(module).eval().requires_grad_(False)
        self.updates = 0

        self.pairs = [(e, p) for e, p in zip(self.module.parameters(), module.parameters())]

    @torch.no_grad()
    def update(self):
        """One fused update of all parameters (a per-tensor loop costs hundreds of GPU launches a step)."""
        self.updates += 1
        d = min(self.decay, (1 + self.updates) / (10 + self.updates))
        ema, live = [e for e, _ in self.pairs], [p.detach() for _, p in self.pairs]
        torch._foreach_mul_(ema, d)
        torch._foreach_add_(ema, live, alpha=1 - d)


@torch.no_grad()
def ddim_sample(unet, text_encoder, ids, empty_ids, abar, steps, guidance, generator, shape):
    """Deterministic DDIM (eta 0) with classifier-free guidance; returns x0 latents (unit scale)."""
    device = ids.device
    b = ids.shape[0]
    timesteps = torch.linspace(TRAIN_STEPS - 1, 0, steps, device=device).round().long()
    x = torch.randn((b,) + tuple(shape), device=device, generator=generator)
    cond = text_encoder(ids)
    uncond = text_encoder(empty_ids[None, :].expand_as(ids))
    for i, t in enumerate(timesteps):
        eps_u, eps_c = unet(torch.cat([x, x]), t.float().expand(2 * b), torch.cat([uncond, cond])).chunk(2)
        eps = eps_u + guidance * (eps_c - eps_u)
        a = abar[t]
        x0 = (x - (1 - a).sqrt() * eps) / a.sqrt()
        a_prev = abar[timesteps[i + 1]] if i + 1 < steps else torch.tensor(1.0, device=device)
        x = a_prev.sqrt() * x0 + (1 - a_prev).sqrt() * eps
    return x
