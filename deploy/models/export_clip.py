#!/usr/bin/env python3
"""Exports real pretrained image encoders as TorchScript plus manifest.json, for the embedder. Needs internet.

OpenAI CLIP ViT-L/14, ViT-B/16, ViT-B/32 (image tower, projected embedding: 768, 512, 512 dims) and DINO
ViT-B/16 (class token, 768 dims, for comparison). CLIP weights come from OpenAI's `clip` package and are loaded
into make_encoder.py's VisionTransformer, which has the same parameter names (strict load, so any mismatch stops
the export); DINO comes from torch.hub (facebookresearch/dino). Tracing, checks and the manifest are the ones
make_encoder.py uses (encoder_export.py), so the tiny test encoder and a real one are written the same way.

Requirements (Python 3.8+ on a machine with internet; a CUDA GPU only for --fp16):
    pip install torch torchvision ftfy regex tqdm git+https://github.com/openai/CLIP.git

Usage:
    python3 deploy/models/export_clip.py --model ViT-L/14 --out models/clip-vit-l-14
    python3 deploy/models/export_clip.py --model dino-vitb16 --out models/dino-vit-b-16
    python3 deploy/models/export_clip.py --model all --out models        # one sub-directory per model
Add --fp16 for an encoder-fp16.pt beside encoder.pt (used when aidetect.embedder.precision=float16 on a GPU),
--bf16 for an encoder-bf16.pt (aidetect.embedder.precision=bfloat16: CPUs with AVX-512 BF16 or AMX, recent GPUs), --onnx
for encoder.onnx instead of encoder.pt, --preprocess crop for UniversalFakeDetect's crop-without-resize.
"""

import argparse
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from encoder_export import CLIP_MEAN, CLIP_STD, IMAGENET_MEAN, IMAGENET_STD, export  # noqa: E402
from make_encoder import VisionTransformer  # noqa: E402

# Model name -> directory (with --model all). A loader returns (module, input size, embedding size, mean, std).
CLIP_MODELS = {"ViT-L/14": "clip-vit-l-14", "ViT-B/16": "clip-vit-b-16", "ViT-B/32": "clip-vit-b-32"}
DINO_MODELS = {"dino-vitb16": "dino-vit-b-16"}
# Model name -> manifest id, recorded in every embedding and checked by every head. The OpenAI weights are
# "openai-clip-...": the UniversalFakeDetect probe (heads UfdProbe.ENCODER_ID) expects exactly that id, and a head
# trained on one id refuses vectors of any other (ExportIdsTest holds the two together).
MODEL_IDS = {"ViT-L/14": "openai-clip-vit-l-14", "ViT-B/16": "openai-clip-vit-b-16",
             "ViT-B/32": "openai-clip-vit-b-32", "dino-vitb16": "dino-vit-b-16"}


def load_clip(name):
    """OpenAI CLIP's image tower, as make_encoder.VisionTransformer with the pretrained weights."""
    import clip  # pip install git+https://github.com/openai/CLIP.git

    visual = clip.load(name, device="cpu", jit=False)[0].visual.float()
    width = visual.conv1.out_channels
    patch = visual.conv1.kernel_size[0]
    size = visual.input_resolution
    layers = len(visual.transformer.resblocks)
    heads = visual.transformer.resblocks[0].attn.num_heads
    output_dim = visual.proj.shape[1]
    module = VisionTransformer(size, patch, width, layers, heads, output_dim)
    module.load_state_dict(visual.state_dict(), strict=True)
    return module, size, output_dim, CLIP_MEAN, CLIP_STD


def load_dino(name):
    """DINO ViT-B/16 from torch.hub: forward returns the normalised class token (768 dims)."""
    module = torch.hub.load("facebookresearch/dino:main", name)
    return module, 224, module.embed_dim, IMAGENET_MEAN, IMAGENET_STD


def export_one(name, out, args):
    loader = load_clip if name in CLIP_MODELS else load_dino
    module, size, dims, mean, std = loader(name)
    model_id = args.id or MODEL_IDS[name]
    export(module, out, image_size=size, onnx=args.onnx, fp16=args.fp16, bf16=args.bf16, id=model_id,
           version=args.version,
           preprocess=args.preprocess, mean=mean, std=std, embedding_size=dims)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, choices=sorted(CLIP_MODELS) + sorted(DINO_MODELS) + ["all"])
    parser.add_argument("--out", required=True, help="output directory (with --model all: the parent directory)")
    parser.add_argument("--id", help="manifest id (default: the model's, e.g. openai-clip-vit-l-14 for ViT-L/14)")
    parser.add_argument("--version", default="1", help="manifest version, recorded in every embedding")
    parser.add_argument("--preprocess", choices=["clip", "crop"], default="clip")
    parser.add_argument("--onnx", action="store_true", help="write encoder.onnx (onnxruntime) instead of encoder.pt")
    parser.add_argument("--fp16", action="store_true", help="also write encoder-fp16.pt (needs a CUDA GPU)")
    parser.add_argument("--bf16", action="store_true", help="also write encoder-bf16.pt (traced on the CPU)")
    args = parser.parse_args()
    if args.model == "all":
        if args.id:
            parser.error("--id names one model; leave it out with --model all")
        for name, directory in {**CLIP_MODELS, **DINO_MODELS}.items():
            export_one(name, os.path.join(args.out, directory), args)
    else:
        export_one(args.model, args.out, args)


if __name__ == "__main__":
    main()
