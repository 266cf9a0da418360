"""Shared by make_encoder.py and export_clip.py: traces an image encoder, checks the trace, writes the model file
(TorchScript, optionally an fp16 TorchScript and ONNX) and the manifest.json the embedder reads.

Any nn.Module that maps a float batch [N, 3, S, S] to [N, D] embeddings can be exported this way.
"""

import hashlib
import json
import os
from collections import OrderedDict

import torch

CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073]
CLIP_STD = [0.26862954, 0.26130258, 0.27577711]
IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]
# torch 1.13 exports scaled-dot-product attention (nn.MultiheadAttention) from opset 14.
ONNX_OPSET = 14


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def trace_checked(model, image_size, device="cpu", dtype=torch.float32):
    """Traces model with TorchScript and checks that the graph matches eager mode at batch sizes 1 and 5, so the
    batch dimension stays dynamic. Returns the traced module."""
    model = model.eval().to(device=device, dtype=dtype)
    # Looser bounds in half precision: only the float32 trace must agree to float32 rounding.
    tolerance = dict(rtol=1e-4, atol=1e-5) if dtype == torch.float32 else dict(rtol=1e-2, atol=1e-2)
    with torch.no_grad():
        traced = torch.jit.trace(model, torch.randn(2, 3, image_size, image_size, device=device, dtype=dtype))
        for batch in (1, 5):
            probe = torch.randn(batch, 3, image_size, image_size, device=device, dtype=dtype)
            torch.testing.assert_close(traced(probe), model(probe), **tolerance)
    return traced


def save_torchscript(model, image_size, out_dir, name="encoder.pt"):
    """Traces model in float32 on the CPU and saves it; returns the file name (relative to out_dir)."""
    torch.jit.save(trace_checked(model, image_size), os.path.join(out_dir, name))
    return name


def save_fp16_torchscript(model, image_size, out_dir, name="encoder-fp16.pt"):
    """Traces a half-precision copy of model on CUDA (half convolutions do not run on a CPU). The trace bakes in
    its dtypes, so an fp16 encoder is a separate file rather than a runtime cast of the float32 one."""
    if not torch.cuda.is_available():
        raise SystemExit("--fp16 needs a CUDA GPU to trace the half-precision model; run the export on a GPU machine")
    traced = trace_checked(model, image_size, device="cuda", dtype=torch.float16)
    torch.jit.save(traced, os.path.join(out_dir, name))
    model.to(device="cpu", dtype=torch.float32)
    return name


def save_onnx(model, image_size, out_dir, name="encoder.onnx"):
    """Exports model to ONNX with a dynamic batch dimension; returns the file name."""
    model = model.eval().to(device="cpu", dtype=torch.float32)
    with torch.no_grad():
        torch.onnx.export(model, torch.randn(2, 3, image_size, image_size), os.path.join(out_dir, name),
                          input_names=["pixels"], output_names=["embedding"],
                          dynamic_axes={"pixels": {0: "batch"}, "embedding": {0: "batch"}}, opset_version=ONNX_OPSET)
    return name


def write_manifest(out_dir, *, id, version, file, image_size, preprocess, mean, std, embedding_size,
                   fp16_file=None):
    """Writes out_dir/manifest.json for file (and its fp16 variant, if any), with their SHA-256 checksums."""
    engine = "OnnxRuntime" if file.endswith(".onnx") else "PyTorch"
    manifest = OrderedDict(id=id, version=version, file=file, engine=engine, inputSize=image_size,
                           preprocess=preprocess, mean=mean, std=std, embeddingSize=embedding_size,
                           sha256=sha256(os.path.join(out_dir, file)))
    if fp16_file:
        manifest["fp16File"] = fp16_file
        manifest["fp16Sha256"] = sha256(os.path.join(out_dir, fp16_file))
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    path = os.path.join(out_dir, file)
    print(f"wrote {path} ({os.path.getsize(path)} bytes, sha256 {manifest['sha256']}) and its manifest.json")
    return manifest


def export(model, out_dir, *, image_size, onnx=False, fp16=False, **manifest_fields):
    """Writes model as TorchScript (or ONNX), optionally with an fp16 TorchScript beside it, plus its manifest."""
    os.makedirs(out_dir, exist_ok=True)
    file = save_onnx(model, image_size, out_dir) if onnx else save_torchscript(model, image_size, out_dir)
    fp16_file = save_fp16_torchscript(model, image_size, out_dir) if fp16 else None
    return write_manifest(out_dir, file=file, image_size=image_size, fp16_file=fp16_file, **manifest_fields)
