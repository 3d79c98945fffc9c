"""CPU set-up for training on small machines: use every core and make sure a fast BLAS is loaded.

Debian's PyTorch links libblas.so.3, which on a fresh machine is the reference (netlib) BLAS, several
times slower than OpenBLAS (`apt-get install -y libopenblas0-pthread` switches the alternative), and
it starts with one thread. See ../shared/design/runtime-facts.md, "CPU training".
"""
import os

import torch


def loaded_blas():
    """The real path of the BLAS library this process has mapped (None if none is mapped yet)."""
    torch.ones(2, 2) @ torch.ones(2, 2)  # make sure the BLAS is loaded
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "blas" in line.lower() and "/" in line}
    except OSError:
        return None
    return sorted(os.path.realpath(p) for p in paths)[0] if paths else None


def set_up_cpu(threads=None):
    """Sets torch's thread count (all cores by default); returns {threads, blas, fast_blas} for the log."""
    threads = threads or os.cpu_count() or 1
    torch.set_num_threads(threads)
    blas = loaded_blas()
    fast = blas is None or any(k in blas.lower() for k in ("openblas", "mkl", "blis"))
    if not fast:
        print(f"WARNING: PyTorch runs on {blas} (reference BLAS): training will be several times slower. "
              "Run `apt-get install -y libopenblas0-pthread` first.", flush=True)
    return {"threads": torch.get_num_threads(), "blas": blas, "fast_blas": fast}
