"""Trains the built-in tiny model (models/tiny/architecture.py, unchanged) on the synthetic shapes world.

Phase 1 trains the VAE (a mirrored encoder with the built-in decoder) and folds a latent normalisation
into both, so SD's 0.18215 scaling holds. Phase 2 trains the CLIP-like text encoder and the UNet jointly
on the frozen latents: epsilon prediction on SD's schedule, 10% caption dropout for classifier-free
guidance, EMA weights. Then it writes weights.npz, samples.png, train_log.json and the ONNX export.

GPU:   python3 models/shapes/train.py --out "$OUT" --minutes 7.5
CPU:   nice /usr/bin/python3 models/shapes/train.py --device cpu --resume --out /tmp/shapes-out \
           --count 20000 --minutes 120 --vae-batch 16 --batch 64 --steps 20000 --warmup 100 \
           --log-every 50 --checkpoint-every 100 --sample-steps 20
       (continues from the committed checkpoint in models/shapes/checkpoint/, which it keeps up to date;
        the encoded latents are cached in --work, so a resumed run on the same machine starts training within a
        minute; a fresh machine encodes them first: ~45 min for 20,000 scenes on 2 idle cores, so keep the machine
        otherwise idle meanwhile, or pass a smaller --count)
Smoke: /usr/bin/python3 models/shapes/train.py --smoke        (a few CPU steps, exports to a temp dir)
"""
import argparse
import json
import math
import os
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "tiny"))
from architecture import TinyConfig, TextEncoder, UNet, VaeDecoder  # noqa: E402
from diffusion import Ema, alphas_cumprod, ddim_sample, diffusion_loss  # noqa: E402
from make_dataset import build_dataset  # noqa: E402
from png import grid, write_png  # noqa: E402
from scenes import caption_words  # noqa: E402
from tokenizer_build import build_tokenizer  # noqa: E402
from weights_file import save_weights  # noqa: E402
from cpu_setup import set_up_cpu  # noqa: E402
import checkpoint  # noqa: E402
from vae_encoder import LATENT_SCALE, VaeEncoder, fold_latent_normalisation, kl_to_standard_normal, latent_stats  # noqa: E402

DEFAULTS = dict(count=50000, seed=1, minutes=7.5, vae_share=0.3, vae_steps=8000, steps=60000,
                vae_batch=64, batch=256, vae_lr=5e-4, lr=1e-3, warmup=300, kl_weight=1e-4, cfg_dropout=0.1,
                ema=0.999, checkpoint_every=2000, log_every=200, sample_steps=30, guidance=5.0)
SMOKE = dict(count=32, minutes=1.0, vae_steps=3, steps=3, vae_batch=4, batch=4, checkpoint_every=2, log_every=1,
             sample_steps=2)
SAMPLE_PROMPTS = ["a red circle", "a blue square", "a yellow star", "a green triangle", "a small purple heart",
                  "a big cyan ring on the left", "a red circle and a green triangle", "a yellow star above a purple heart"]
SAMPLE_SEEDS = 3
DEFAULT_WORK = os.path.join(tempfile.gettempdir(), "shapes-train")


def parse_args(argv=None):
    ap = argparse.ArgumentParser(description="Train the tiny SD-architecture model on the shapes world.")
    ap.add_argument("--out", help="where weights.npz, samples.png, train_log.json, model/ and reference.json go")
    ap.add_argument("--work", help=f"checkpoints, resumed with --resume (default {DEFAULT_WORK}; a fresh temp dir with --smoke)")
    ap.add_argument("--device", default="auto", help="auto (cuda if available), cuda or cpu")
    ap.add_argument("--resume", action="store_true", help="continue from the checkpoints in --work")
    ap.add_argument("--no-export", action="store_true", help="skip the ONNX export (weights.npz is enough to export later)")
    ap.add_argument("--smoke", action="store_true", help="a few CPU steps on a tiny batch, exported to a temp dir")
    ap.add_argument("--checkpoint-dir", default=None,
                    help="slim checkpoints (weights + EMA, no optimizer state) kept here for git; --resume starts from "
                         "them when --work has none ('' to disable)")
    for k, v in DEFAULTS.items():
        ap.add_argument("--" + k.replace("_", "-"), type=type(v), default=None)
    args = ap.parse_args(argv)
    for k, v in {**DEFAULTS, **(SMOKE if args.smoke else {})}.items():
        if getattr(args, k) is None:
            setattr(args, k, v)
    if args.smoke:
        args.device = "cpu"
        args.out = args.out or tempfile.mkdtemp(prefix="shapes-smoke-")
        args.work = args.work or tempfile.mkdtemp(prefix="shapes-smoke-work-")
    args.work = args.work or DEFAULT_WORK
    if args.checkpoint_dir is None:  # a smoke run never overwrites the committed checkpoint unless told to
        args.checkpoint_dir = "" if args.smoke else checkpoint.COMMITTED
    if not args.out:
        ap.error("--out is required (or --smoke)")
    return args


def schedule(step, run_step, args, steps, budget_s, elapsed_s, base_lr):
    """Cosine decay by whichever runs out first, steps or the time budget, ramped up over this run's first steps
    (a resumed run restarts Adam from a slim checkpoint, whose first updates are full-size whatever the gradient).
    The ramp rises to the decayed rate, not the base one: a run resumed late in the schedule would otherwise spend
    its warm-up climbing to the base rate and then drop back to the floor."""
    progress = min(1.0, max(step / max(1, steps), elapsed_s / max(1e-9, budget_s)))
    lr = base_lr * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))
    return lr * min(1.0, (run_step + 1) / args.warmup)


def to_unit(images_u8):
    return images_u8.float() / 127.5 - 1.0


class Log:
    """Progress records, printed and rewritten to train_log.json each time (a killed run keeps its log)."""

    def __init__(self, path):
        self.path, self.records, self.extra, self.started = path, [], {}, time.time()

    def add(self, **record):
        record["elapsed_s"] = round(time.time() - self.started, 1)
        self.records.append(record)
        print(json.dumps(record), flush=True)
        self.save()

    def save(self, **extra):
        self.extra.update(extra)
        with open(self.path, "w") as f:
            json.dump({**self.extra, "records": self.records}, f, indent=1)


def run_phase(name, params, loss_fn, steps, budget_s, base_lr, args, log, save, resumed=None, on_step=None):
    """A generic loop with AdamW, the schedule, gradient clipping, periodic checkpoints and a wall-clock cap."""
    opt = torch.optim.AdamW(params, lr=base_lr, weight_decay=0.01)
    if resumed and "opt" in resumed:  # a slim (committed) checkpoint has none: Adam restarts, after a warm-up
        opt.load_state_dict(resumed["opt"])
    step, started, running = resumed["step"] if resumed else 0, time.time(), 0.0
    first_step = step
    while step < steps and time.time() - started < budget_s:
        for group in opt.param_groups:
            group["lr"] = schedule(step, step - first_step, args, steps, budget_s, time.time() - started, base_lr)
        loss = loss_fn()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        if on_step:
            on_step()
        step += 1
        running += loss.detach()
        if step % args.log_every == 0:
            log.add(phase=name, step=step, loss=round(float(running) / args.log_every, 5), lr=opt.param_groups[0]["lr"])
            running = 0.0
        if step % args.checkpoint_every == 0:
            save(step, opt)
    save(step, opt)
    return step


def main(argv=None):
    args = parse_args(argv)
    device = torch.device("cuda" if args.device == "auto" and torch.cuda.is_available() else ("cpu" if args.device == "auto" else args.device))
    torch.manual_seed(args.seed)
    os.makedirs(args.out, exist_ok=True)
    os.makedirs(args.work, exist_ok=True)
    log = Log(os.path.join(args.out, "train_log.json"))
    cpu = set_up_cpu() if device.type == "cpu" else {}
    autocast = torch.autocast("cuda", dtype=torch.bfloat16) if device.type == "cuda" else torch.autocast("cpu", enabled=False)
    cfg = TinyConfig()
    torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = True
    torch.backends.cudnn.benchmark = True

    tok = build_tokenizer(os.path.join(args.work, "tokenizer"))
    split_words = [w for w in caption_words() if len(tok["encode"](w)) != 3]
    assert not split_words, f"caption words the tokenizer splits into several tokens: {split_words}"
    images_np, scenes = build_dataset(args.count, args.seed)
    images = torch.from_numpy(images_np).permute(0, 3, 1, 2).contiguous().to(device)  # uint8 [N, 3, 128, 128]
    ids = torch.full((len(scenes), cfg.max_length), tok["eos_id"], dtype=torch.long)
    encoded = {}  # captions repeat a lot; the Python BPE is slow
    for i, s in enumerate(scenes):
        row = encoded.setdefault(s["caption"], tok["encode"](s["caption"]))
        ids[i, :len(row)] = torch.tensor(row)
    ids = ids.to(device)
    empty_ids = torch.full((cfg.max_length,), tok["eos_id"], dtype=torch.long, device=device)
    empty_ids[0] = tok["bos_id"]
    log.add(phase="data", scenes=len(scenes), device=str(device), torch=torch.__version__, **cpu)
    budget = args.minutes * 60
    pick = lambda b: torch.randint(0, len(scenes), (b,), device=device)  # noqa: E731

    # Phase 1: VAE.
    encoder, decoder = VaeEncoder(cfg).to(device), VaeDecoder(cfg).to(device)
    vae_path = os.path.join(args.work, "vae.pt")
    vae_state = checkpoint.load(vae_path, args.checkpoint_dir, device) if args.resume else {}
    if vae_state:
        encoder.load_state_dict(vae_state["encoder"])
        decoder.load_state_dict(vae_state["decoder"])
    if not vae_state.get("folded"):
        def vae_loss():
            x = to_unit(images[pick(args.vae_batch)])
            with autocast:
                mean, logvar = encoder(x)
                z = mean + (0.5 * logvar).exp() * torch.randn_like(mean)
                recon = decoder(z).float()
            return F.l1_loss(recon, x) + F.mse_loss(recon, x) + args.kl_weight * kl_to_standard_normal(mean.float(), logvar.float())

        def save_vae(step, opt, folded=False):
            checkpoint.save(vae_path, args.checkpoint_dir, {"encoder": encoder.state_dict(), "decoder": decoder.state_dict(),
                                                            "step": step, "opt": opt.state_dict(), "folded": folded})

        params = list(encoder.parameters()) + list(decoder.parameters())
        step = run_phase("vae", params, vae_loss, args.vae_steps, budget * args.vae_share, args.vae_lr, args, log, save_vae, vae_state or None)
        with torch.no_grad(), autocast:
            means = torch.cat([encoder(to_unit(images[i:i + 256]))[0].float() for i in range(0, min(len(scenes), 8192), 256)])
        k = fold_latent_normalisation(encoder, decoder, *latent_stats(means))
        log.add(phase="vae-fold", step=step, scale=[round(v, 4) for v in k.tolist()])
        save_vae(step, torch.optim.AdamW(params), folded=True)
        vae_state = {"step": step, "folded": True}
    encoder.eval()
    decoder.eval()
    latents_path = os.path.join(args.work, f"latents-{args.count}-{args.seed}-vae{vae_state['step']}.pt")
    with torch.no_grad(), autocast:
        cached = os.path.exists(latents_path)
        if cached:  # encoding takes 0.14 s a scene on 2 idle cores (20,000: ~45 min); under other load, many times more
            latents = torch.load(latents_path, map_location=device)
        else:
            latents = torch.cat([encoder(to_unit(images[i:i + 512]))[0].float() for i in range(0, len(scenes), 512)]) * LATENT_SCALE
            torch.save(latents.cpu(), latents_path)  # keyed by the VAE's step: a retrained VAE encodes anew
        recon = decoder(latents[:256] / LATENT_SCALE).float()
    log.add(phase="latents", cached=cached, std=round(float(latents.std()), 4), mean=round(float(latents.mean()), 4),
            recon_l1=round(float(F.l1_loss(recon, to_unit(images[:256]))), 5))

    # Phase 2: text encoder + UNet.
    text_encoder, unet = TextEncoder(cfg).to(device), UNet(cfg).to(device)
    diff_path = os.path.join(args.work, "diffusion.pt")
    diff_state = checkpoint.load(diff_path, args.checkpoint_dir, device) if args.resume else {}
    ema_text, ema_unet = Ema(text_encoder, args.ema), Ema(unet, args.ema)
    if diff_state:
        for m, key in ((text_encoder, "text_encoder"), (unet, "unet"), (ema_text.module, "ema_text"), (ema_unet.module, "ema_unet")):
            m.load_state_dict(diff_state[key])
        ema_text.updates = ema_unet.updates = diff_state["step"]
        log.add(phase="resumed", step=diff_state["step"], optimizer="restored" if "opt" in diff_state else "fresh (slim checkpoint)")
    abar = alphas_cumprod(device)

    def diff_loss():
        idx = pick(args.batch)
        with autocast:
            return diffusion_loss(unet, text_encoder, latents[idx], ids[idx], empty_ids, abar, args.cfg_dropout)

    def save_diffusion(step, opt):
        checkpoint.save(diff_path, args.checkpoint_dir, {"text_encoder": text_encoder.state_dict(), "unet": unet.state_dict(),
                                                         "ema_text": ema_text.module.state_dict(), "ema_unet": ema_unet.module.state_dict(),
                                                         "step": step, "opt": opt.state_dict()})

    remaining = max(1.0, budget - (time.time() - log.started))
    step = run_phase("diffusion", list(text_encoder.parameters()) + list(unet.parameters()), diff_loss, args.steps, remaining,
                     args.lr, args, log, save_diffusion, diff_state or None, on_step=lambda: (ema_text.update(), ema_unet.update()))

    # Outputs: EMA weights, a sample sheet, the log, the export.
    meta = {"diffusion_steps": step, "args": {k: v for k, v in vars(args).items() if isinstance(v, (int, float, str, bool))}}
    save_weights(os.path.join(args.out, "weights.npz"), {"text_encoder": ema_text.module, "unet": ema_unet.module, "vae_decoder": decoder}, meta)
    write_samples(os.path.join(args.out, "samples.png"), ema_unet.module, ema_text.module, decoder, tok, empty_ids, abar, args, device)
    log.save(meta=meta, sample_prompts=SAMPLE_PROMPTS)
    if not args.no_export:
        try:
            from export_model import export_model  # needs onnx; weights.npz does not
            export_model(ema_text.module, ema_unet.module, decoder, os.path.join(args.out, "model"), os.path.join(args.out, "reference.json"))
        except Exception as e:  # noqa: BLE001 - weights.npz is the product; install_model.py can export it anywhere
            log.add(phase="export-failed", error=repr(e)[:500])
            if args.smoke:
                raise
    log.add(phase="done", out=args.out)
    return args.out


@torch.no_grad()
def write_samples(path, unet, text_encoder, decoder, tok, empty_ids, abar, args, device):
    """One row per seed, one column per SAMPLE_PROMPTS entry (DDIM, classifier-free guidance)."""
    rows = []
    ids = torch.full((len(SAMPLE_PROMPTS), empty_ids.numel()), tok["eos_id"], dtype=torch.long, device=device)
    for i, p in enumerate(SAMPLE_PROMPTS):
        row = tok["encode"](p)
        ids[i, :len(row)] = torch.tensor(row, device=device)
    for seed in range(SAMPLE_SEEDS):
        g = torch.Generator(device=device).manual_seed(seed)
        x0 = ddim_sample(unet, text_encoder, ids, empty_ids, abar, args.sample_steps, args.guidance, g, (4, 16, 16))
        rgb = decoder(x0 / LATENT_SCALE).float().clamp(-1, 1)
        rows.append(((rgb + 1) * 127.5).round().byte().permute(0, 2, 3, 1).cpu().numpy())
    write_png(path, grid(np.concatenate(rows), len(SAMPLE_PROMPTS)))


if __name__ == "__main__":
    main()
