"""torch -> ONNX the way every model script here exports, and the file hash their manifests carry."""
import hashlib
import inspect
import os

import onnx
import torch

OPSET = 17


def export_onnx(module, args, path, input_names, output_names, dynamic_axes):
    """Exports with the TorchScript exporter (PyTorch >= 2.9 defaults to dynamo, whose graphs differ from the public
    SD exports the MaskDiffusion patcher expects), checks the graph and returns it."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    pinned = {"dynamo": False} if "dynamo" in inspect.signature(torch.onnx.export).parameters else {}
    torch.onnx.export(module, args, path, input_names=input_names, output_names=output_names,
                      dynamic_axes=dynamic_axes, opset_version=OPSET, do_constant_folding=True, **pinned)
    model = onnx.load(path)
    onnx.checker.check_model(model)
    return model


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()
