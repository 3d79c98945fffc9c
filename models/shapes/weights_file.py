"""The trained weights as one portable .npz (numpy only: loads on any PyTorch version, no pickle)."""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tiny"))
from architecture import TinyConfig, TextEncoder, UNet, VaeDecoder  # noqa: E402


def save_weights(path, modules, meta):
    arrays = {f"{name}/{k}": v.detach().cpu().float().numpy() for name, m in modules.items() for k, v in m.state_dict().items()}
    np.savez(path, __meta__=np.array(json.dumps(meta)), **arrays)


def load_weights(path, cfg=None):
    """(text_encoder, unet, vae_decoder, meta) from a save_weights file."""
    cfg = cfg or TinyConfig()
    data = np.load(path)
    modules = {"text_encoder": TextEncoder(cfg), "unet": UNet(cfg), "vae_decoder": VaeDecoder(cfg)}
    for name, m in modules.items():
        state = {k.split("/", 1)[1]: torch.from_numpy(data[k]) for k in data.files if k.startswith(name + "/")}
        m.load_state_dict(state)
        m.eval()
    return modules["text_encoder"], modules["unet"], modules["vae_decoder"], json.loads(str(data["__meta__"]))
