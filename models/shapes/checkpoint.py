"""Training checkpoints: full ones in --work (with optimizer state), slim ones committed to git.

The slim copy keeps the weights, the EMA weights and the step, nothing else, as float32 (a few MB), so
the next session on another machine continues training (`train.py --resume`) where this one stopped.
Both are written to a temporary name and renamed, so a run killed mid-write leaves the last good one.
"""
import os

import torch

COMMITTED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "checkpoint")
SLIM_DROP = ("opt",)


def _atomic_save(obj, path):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    tmp = path + ".tmp"
    torch.save(obj, tmp)
    os.replace(tmp, path)


def save(path, slim_dir, state):
    """The full checkpoint at `path`; a slim copy (same file name) in `slim_dir` unless it is ''."""
    _atomic_save(state, path)
    if slim_dir:
        _atomic_save({k: v for k, v in state.items() if k not in SLIM_DROP}, os.path.join(slim_dir, os.path.basename(path)))


def load(path, slim_dir, device):
    """The full checkpoint if --work has it, else the slim one, else {} (train from scratch)."""
    for candidate in (path, os.path.join(slim_dir, os.path.basename(path)) if slim_dir else None):
        if candidate and os.path.exists(candidate):
            return torch.load(candidate, map_location=device)
    return {}
