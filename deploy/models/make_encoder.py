#!/usr/bin/python3
"""Writes a seeded, randomly initialised CLIP ViT image encoder as TorchScript plus its manifest.

The module below has exactly the architecture (and parameter names) of OpenAI CLIP's VisionTransformer:
patch-embedding conv without bias, class embedding, positional embedding, ln_pre, residual attention blocks
with a QuickGELU MLP, ln_post on the class token and the output projection. With random weights it is a
stand-in that exercises the real interface and cost of the encoder; real CLIP weights are exported elsewhere.

Run with Debian's torch: /usr/bin/python3 deploy/models/make_encoder.py --out deploy/models/tiny-clip-vit
"""

import argparse
from collections import OrderedDict

import torch
from torch import nn

from encoder_export import CLIP_MEAN, CLIP_STD, export

PRESETS = {
    "tiny": dict(width=64, layers=2, heads=2, patch=32, output_dim=64, id="tiny-clip-vit"),
    "vit-b-32": dict(width=768, layers=12, heads=12, patch=32, output_dim=512, id="random-clip-vit-b-32"),
    "vit-l-14": dict(width=1024, layers=24, heads=16, patch=14, output_dim=768, id="random-clip-vit-l-14"),
}


class LayerNorm(nn.LayerNorm):
    """LayerNorm computed in float32, as CLIP does (matters for fp16 weights)."""

    def forward(self, x):
        return super().forward(x.type(torch.float32)).type(x.dtype)


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class ResidualAttentionBlock(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.attn = nn.MultiheadAttention(width, heads)
        self.ln_1 = LayerNorm(width)
        self.mlp = nn.Sequential(OrderedDict([
            ("c_fc", nn.Linear(width, width * 4)),
            ("gelu", QuickGELU()),
            ("c_proj", nn.Linear(width * 4, width)),
        ]))
        self.ln_2 = LayerNorm(width)

    def forward(self, x):
        y = self.ln_1(x)
        x = x + self.attn(y, y, y, need_weights=False)[0]
        return x + self.mlp(self.ln_2(x))


class Transformer(nn.Module):
    def __init__(self, width, layers, heads):
        super().__init__()
        self.resblocks = nn.Sequential(*[ResidualAttentionBlock(width, heads) for _ in range(layers)])

    def forward(self, x):
        return self.resblocks(x)


class VisionTransformer(nn.Module):
    def __init__(self, input_resolution, patch_size, width, layers, heads, output_dim):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, kernel_size=patch_size, stride=patch_size, bias=False)
        scale = width ** -0.5
        self.class_embedding = nn.Parameter(scale * torch.randn(width))
        self.positional_embedding = nn.Parameter(scale * torch.randn((input_resolution // patch_size) ** 2 + 1, width))
        self.ln_pre = LayerNorm(width)
        self.transformer = Transformer(width, layers, heads)
        self.ln_post = LayerNorm(width)
        self.proj = nn.Parameter(scale * torch.randn(width, output_dim))

    def forward(self, x):
        x = self.conv1(x)  # [batch, width, grid, grid]
        x = x.reshape(x.shape[0], x.shape[1], -1).permute(0, 2, 1)  # [batch, grid*grid, width]
        # CLIP writes class_embedding + zeros(batch, 1, width); expand is the same value and, unlike zeros(),
        # keeps no device constant in the traced graph, so the model runs on the GPU as well.
        cls = self.class_embedding.to(x.dtype).reshape(1, 1, -1).expand(x.shape[0], -1, -1)
        x = torch.cat([cls, x], dim=1) + self.positional_embedding.to(x.dtype)
        x = self.ln_pre(x).permute(1, 0, 2)  # NLD -> LND
        x = self.transformer(x).permute(1, 0, 2)  # LND -> NLD
        return self.ln_post(x[:, 0, :]) @ self.proj


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--preset", choices=sorted(PRESETS), default="tiny", help="sizes to start from")
    parser.add_argument("--width", type=int)
    parser.add_argument("--layers", type=int)
    parser.add_argument("--heads", type=int)
    parser.add_argument("--patch", type=int)
    parser.add_argument("--output-dim", type=int)
    parser.add_argument("--image-size", type=int, default=224)
    parser.add_argument("--preprocess", choices=["clip", "crop", "resize"], default="clip")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--id")
    parser.add_argument("--version", default="1")
    parser.add_argument("--onnx", action="store_true", help="write encoder.onnx (onnxruntime) instead of encoder.pt")
    parser.add_argument("--fp16", action="store_true",
                        help="also write encoder-fp16.pt, traced in half precision (needs a CUDA GPU)")
    parser.add_argument("--bf16", action="store_true",
                        help="also write encoder-bf16.pt, traced in bfloat16 on the CPU")
    parser.add_argument("--out", required=True, help="directory for the model file and manifest.json")
    args = parser.parse_args()
    for key, value in PRESETS[args.preset].items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    if args.image_size % args.patch or args.width % args.heads:
        parser.error("image size must be a multiple of the patch size and width a multiple of heads")
    return args


def main():
    args = parse_args()
    torch.manual_seed(args.seed)
    model = VisionTransformer(args.image_size, args.patch, args.width, args.layers, args.heads, args.output_dim)
    export(model, args.out, image_size=args.image_size, onnx=args.onnx, fp16=args.fp16, bf16=args.bf16, id=args.id,
           version=args.version, preprocess=args.preprocess, mean=CLIP_MEAN, std=CLIP_STD,
           embedding_size=args.output_dim)


if __name__ == "__main__":
    main()
