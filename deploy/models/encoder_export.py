"""Shared by make_encoder.py and export_clip.py: traces an image encoder, checks the trace, writes the model file
(TorchScript, optionally fp16 and bf16 TorchScript exports, or ONNX) and the manifest.json the embedder reads.

Any nn.Module that maps a float batch [N, 3, S, S] to [N, D] embeddings can be exported this way.
"""

import copy
import hashlib
import json
import os
from collections import OrderedDict

import torch
from torch import nn

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


def trace_checked(model, image_size, device="cpu", reference=None):
    """Traces model (float32 in and out) with TorchScript and checks that the graph matches eager mode at batch sizes
    1 and 5, so the batch dimension stays dynamic. A half-precision model is checked against its float32 reference:
    every vector within cosine 0.99 of the float32 one. Returns the traced module."""
    model = model.eval().to(device)
    with torch.no_grad():
        traced = torch.jit.trace(model, torch.randn(2, 3, image_size, image_size, device=device))
        for batch in (1, 5):
            probe = torch.randn(batch, 3, image_size, image_size, device=device)
            torch.testing.assert_close(traced(probe), model(probe), rtol=1e-4, atol=1e-5)
            if reference is not None:
                expected = reference.eval().to(device)(probe)
                cosine = nn.functional.cosine_similarity(traced(probe), expected).min().item()
                if cosine < 0.99:
                    raise SystemExit(f"the half-precision export drifts from float32: cosine {cosine:.4f} < 0.99")
                print(f"half-precision export: cosine to float32 >= {cosine:.5f} on {batch} random images")
        if reference is not None:
            reference.to("cpu")
    return traced


def save_torchscript(model, image_size, out_dir, name="encoder.pt"):
    """Traces model in float32 on the CPU and saves it; returns the file name (relative to out_dir)."""
    torch.jit.save(trace_checked(model, image_size), os.path.join(out_dir, name))
    return name


class Float32Io(nn.Module):
    """Runs a half-precision copy of an encoder behind a float32 interface: the input cast and the output cast are part
    of the traced graph, so a caller feeds and reads float32 whatever the precision inside (DJL 0.35.1 cannot create
    bfloat16 arrays)."""

    def __init__(self, model, dtype):
        super().__init__()
        self.model = model
        self.dtype = dtype

    def forward(self, x):
        return self.model(x.to(self.dtype)).float()


def reduced_copy(model, dtype):
    """A copy of model in dtype, except the parameters of LayerNorm subclasses that compute in float32 (CLIP's), which
    stay float32 as in CLIP's own half-precision conversion: they upcast their input, and a float32 layer_norm with
    half-precision weights fails on the CPU."""
    reduced = copy.deepcopy(model).eval().to(dtype)
    for module in reduced.modules():
        if isinstance(module, nn.LayerNorm) and type(module) is not nn.LayerNorm:
            module.float()
    return Float32Io(reduced, dtype)


# precision -> (file name, dtype, device it is traced on)
HALF_EXPORTS = {
    "fp16": ("encoder-fp16.pt", torch.float16, "cuda"),
    "bf16": ("encoder-bf16.pt", torch.bfloat16, "cpu"),
}


def save_half_torchscript(model, image_size, out_dir, precision):
    """Traces a half-precision copy of model (fp16 on CUDA, where half convolutions run; bf16 on the CPU) behind a
    float32 interface and saves it. The trace bakes in its dtypes, so a half-precision encoder is a separate file
    rather than a runtime cast of the float32 one. Returns the file name."""
    name, dtype, device = HALF_EXPORTS[precision]
    if device == "cuda" and not torch.cuda.is_available():
        raise SystemExit("--fp16 needs a CUDA GPU to trace the half-precision model; run the export on a GPU machine")
    wrapped = reduced_copy(model, dtype)
    torch.jit.save(trace_checked(wrapped, image_size, device=device, reference=model), os.path.join(out_dir, name))
    return name


def save_onnx(model, image_size, out_dir, name="encoder.onnx"):
    """Exports model to ONNX with a dynamic batch dimension; returns the file name."""
    model = model.eval().to(device="cpu", dtype=torch.float32)
    with torch.no_grad():
        torch.onnx.export(model, torch.randn(2, 3, image_size, image_size), os.path.join(out_dir, name),
                          input_names=["pixels"], output_names=["embedding"],
                          dynamic_axes={"pixels": {0: "batch"}, "embedding": {0: "batch"}}, opset_version=ONNX_OPSET)
    return name


def write_manifest(out_dir, *, id, version, file, image_size, preprocess, mean, std, embedding_size, half_files=()):
    """Writes out_dir/manifest.json for file (and its half-precision exports: precision -> file name), with their
    SHA-256 checksums."""
    engine = "OnnxRuntime" if file.endswith(".onnx") else "PyTorch"
    manifest = OrderedDict(id=id, version=version, file=file, engine=engine, inputSize=image_size,
                           preprocess=preprocess, mean=mean, std=std, embeddingSize=embedding_size,
                           sha256=sha256(os.path.join(out_dir, file)))
    for precision, half_file in dict(half_files).items():
        manifest[precision + "File"] = half_file
        manifest[precision + "Sha256"] = sha256(os.path.join(out_dir, half_file))
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    path = os.path.join(out_dir, file)
    print(f"wrote {path} ({os.path.getsize(path)} bytes, sha256 {manifest['sha256']}) and its manifest.json")
    return manifest


def export(model, out_dir, *, image_size, onnx=False, fp16=False, bf16=False, **manifest_fields):
    """Writes model as TorchScript (or ONNX), optionally with fp16 and bf16 TorchScript exports beside it, plus its
    manifest."""
    os.makedirs(out_dir, exist_ok=True)
    file = save_onnx(model, image_size, out_dir) if onnx else save_torchscript(model, image_size, out_dir)
    half_files = {precision: save_half_torchscript(model, image_size, out_dir, precision)
                  for precision, wanted in (("fp16", fp16), ("bf16", bf16)) if wanted}
    return write_manifest(out_dir, file=file, image_size=image_size, half_files=half_files, **manifest_fields)
