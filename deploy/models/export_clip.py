#!/usr/bin/env python3
"""Exports real pretrained image encoders as TorchScript plus manifest.json, for the embedder. Needs internet.

Presets (PRESETS below: manifest id, input size, patch, mean/std, preprocessing, embedding size):
  ViT-L/14, ViT-B/16, ViT-B/32   OpenAI CLIP, image tower with its projection (768, 512, 512 dims), loaded into
                                 make_encoder.py's VisionTransformer, which has the same parameter names (strict load)
  dino-vitb16                    DINO ViT-B/16 from torch.hub facebookresearch/dino (class token, 768 dims)
  dinov2-vitb14, dinov2-vitl14   DINOv2 from torch.hub facebookresearch/dinov2 (class token, 768 and 1024 dims)
  siglip2-base-patch16-224       SigLIP 2 from transformers (get_image_features: the pooled image vector, 768 dims;
                                 mean/std 0.5, bicubic resize of both sides to 224 without crop)
  clip-dinov2-fused              FusionDetect's backbone: CLIP ViT-L/14 and DINOv2 ViT-L/14 in one module, their vectors
                                 concatenated (768 + 1024 = 1792 dims); it takes CLIP's input and renormalises it for
                                 DINOv2 inside, so one preprocessing feeds both
Tracing, checks and the manifest are the ones make_encoder.py uses (encoder_export.py), so the tiny test encoder and a
real one are written the same way.

Requirements (Python 3.8+ on a machine with internet; a CUDA GPU only for --fp16):
    pip install torch torchvision ftfy regex tqdm git+https://github.com/openai/CLIP.git
    pip install 'transformers>=4.49'     # only for siglip2-base-patch16-224

Usage:
    python3 deploy/models/export_clip.py --model ViT-L/14 --out models/clip-vit-l-14
    python3 deploy/models/export_clip.py --model dinov2-vitl14 --out models/dinov2-vit-l-14
    python3 deploy/models/export_clip.py --model clip-dinov2-fused --out models/clip-dinov2-fused
    python3 deploy/models/export_clip.py --model all --out models        # one sub-directory per model
Add --fp16 for an encoder-fp16.pt beside encoder.pt (used when aidetect.embedder.precision=float16 on a GPU),
--bf16 for an encoder-bf16.pt (aidetect.embedder.precision=bfloat16: CPUs with AVX-512 BF16 or AMX, recent GPUs), --onnx
for encoder.onnx instead of encoder.pt, --preprocess crop for UniversalFakeDetect's crop-without-resize.

--stand-in writes, without any download, a seeded random-weight model of the preset's input contract instead (same
input size, patch, mean/std, preprocessing and embedding size; one narrow layer): what the tests load to check each
preset's manifest and preprocessing. --reference-tensors DIR IMAGE... writes the preset's reference preprocessing
(torchvision on PIL, as the model's own code feeds it) of each image and the stand-in's embedding of it.
"""

import argparse
import os
import sys
from collections import namedtuple

import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from encoder_export import CLIP_MEAN, CLIP_STD, IMAGENET_MEAN, IMAGENET_STD, export  # noqa: E402
from make_encoder import VisionTransformer  # noqa: E402

SIGLIP_MEAN = [0.5, 0.5, 0.5]
SIGLIP_STD = [0.5, 0.5, 0.5]
# Model name -> manifest id, recorded in every embedding and checked by every head. The OpenAI weights are
# "openai-clip-...": the UniversalFakeDetect probe (heads UfdProbe.ENCODER_ID) expects exactly that id, and a head
# trained on one id refuses vectors of any other (ExportIdsTest holds the two together). The fused model's id is the one
# the embedder gives the same two encoders run side by side (AIDETECT_EMBEDDER_ENCODERS), whose vectors it equals.
MODEL_IDS = {"ViT-L/14": "openai-clip-vit-l-14", "ViT-B/16": "openai-clip-vit-b-16",
             "ViT-B/32": "openai-clip-vit-b-32", "dino-vitb16": "dino-vit-b-16",
             "dinov2-vitb14": "dinov2-vit-b-14", "dinov2-vitl14": "dinov2-vit-l-14",
             "siglip2-base-patch16-224": "google-siglip2-base-patch16-224",
             "clip-dinov2-fused": "openai-clip-vit-l-14+dinov2-vit-l-14"}

# What a model expects and returns; `directory` is its sub-directory with --model all. preprocess is the manifest's
# mode: clip (bicubic resize of the short side, centre crop), crop (centre crop only) or resize (bicubic resize of both
# sides, no crop).
Preset = namedtuple("Preset", "directory size patch mean std preprocess dims")
PRESETS = {
    "ViT-L/14": Preset("clip-vit-l-14", 224, 14, CLIP_MEAN, CLIP_STD, "clip", 768),
    "ViT-B/16": Preset("clip-vit-b-16", 224, 16, CLIP_MEAN, CLIP_STD, "clip", 512),
    "ViT-B/32": Preset("clip-vit-b-32", 224, 32, CLIP_MEAN, CLIP_STD, "clip", 512),
    # DINO's and DINOv2's evaluations resize to 256 and crop 224; the embedder's clip mode resizes to 224 (close, not equal)
    "dino-vitb16": Preset("dino-vit-b-16", 224, 16, IMAGENET_MEAN, IMAGENET_STD, "clip", 768),
    "dinov2-vitb14": Preset("dinov2-vit-b-14", 224, 14, IMAGENET_MEAN, IMAGENET_STD, "clip", 768),
    "dinov2-vitl14": Preset("dinov2-vit-l-14", 224, 14, IMAGENET_MEAN, IMAGENET_STD, "clip", 1024),
    "siglip2-base-patch16-224": Preset("siglip2-base-patch16-224", 224, 16, SIGLIP_MEAN, SIGLIP_STD, "resize", 768),
    "clip-dinov2-fused": Preset("clip-dinov2-fused", 224, 14, CLIP_MEAN, CLIP_STD, "clip", 768 + 1024),
}
FUSED_PARTS = ("ViT-L/14", "dinov2-vitl14")


class Renormalised(nn.Module):
    """Feeds model a tensor normalised with (mean, std) that arrives normalised with (input_mean, input_std): the same
    pixels, as model's own preprocessing would have normalised them (normalisation is affine per channel)."""

    def __init__(self, model, input_mean, input_std, mean, std):
        super().__init__()
        self.model = model
        shape = (1, 3, 1, 1)
        self.register_buffer("scale", (torch.tensor(input_std) / torch.tensor(std)).reshape(shape))
        self.register_buffer("shift", ((torch.tensor(input_mean) - torch.tensor(mean)) / torch.tensor(std))
                             .reshape(shape))

    def forward(self, x):
        return self.model(x * self.scale + self.shift)


class Concatenated(nn.Module):
    """Runs every part on the same input and concatenates their vectors, in order (FusionDetect's fusion)."""

    def __init__(self, *parts):
        super().__init__()
        self.parts = nn.ModuleList(parts)

    def forward(self, x):
        return torch.cat([part(x) for part in self.parts], dim=1)


class ImageFeatures(nn.Module):
    """A transformers vision-language model's image vector (get_image_features) as a plain tensor-in, tensor-out
    module, so that it traces."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, x):
        return self.model.get_image_features(pixel_values=x)


def load_clip(name):
    """OpenAI CLIP's image tower, as make_encoder.VisionTransformer with the pretrained weights."""
    import clip  # pip install git+https://github.com/openai/CLIP.git

    visual = clip.load(name, device="cpu", jit=False)[0].visual.float()
    module = VisionTransformer(visual.input_resolution, visual.conv1.kernel_size[0], visual.conv1.out_channels,
                               len(visual.transformer.resblocks), visual.transformer.resblocks[0].attn.num_heads,
                               visual.proj.shape[1])
    module.load_state_dict(visual.state_dict(), strict=True)
    return module


def load_dino(name):
    """DINO ViT-B/16 from torch.hub: forward returns the class token (768 dims)."""
    return torch.hub.load("facebookresearch/dino:main", name)


def load_dinov2(name):
    """DINOv2 from torch.hub: forward returns the class token after the final norm (768 or 1024 dims)."""
    return torch.hub.load("facebookresearch/dinov2", name.replace("-", "_"))


def load_siglip2(name):
    """SigLIP 2 (fixed resolution) from transformers: the pooled image vector (attention-pooling head)."""
    from transformers import AutoModel  # pip install 'transformers>=4.49'

    return ImageFeatures(AutoModel.from_pretrained("google/" + name, torchscript=True).eval())


def fuse(clip_model, dinov2_model):
    """CLIP's vector followed by DINOv2's, from one CLIP-normalised input."""
    clip_preset, dinov2_preset = PRESETS[FUSED_PARTS[0]], PRESETS[FUSED_PARTS[1]]
    return Concatenated(clip_model, Renormalised(dinov2_model, clip_preset.mean, clip_preset.std, dinov2_preset.mean,
                                                 dinov2_preset.std))


def load_fused(name):
    return fuse(load_clip(FUSED_PARTS[0]), load_dinov2(FUSED_PARTS[1]))


def loader(name):
    if name.startswith("ViT-"):
        return load_clip
    return {"dino-vitb16": load_dino, "dinov2-vitb14": load_dinov2, "dinov2-vitl14": load_dinov2,
            "siglip2-base-patch16-224": load_siglip2, "clip-dinov2-fused": load_fused}[name]


def stand_in(name, seed=42):
    """A seeded random-weight model of the preset's input contract: one narrow ViT layer with the preset's input size,
    patch and embedding size (for the fused preset, a stand-in of each part behind the real fusion code)."""
    torch.manual_seed(seed)
    if name == "clip-dinov2-fused":
        return fuse(stand_in(FUSED_PARTS[0], seed), stand_in(FUSED_PARTS[1], seed + 1))
    preset = PRESETS[name]
    return VisionTransformer(preset.size, preset.patch, 64, 1, 2, preset.dims)


def reference_transform(preset, preprocess=None):
    """The preset's preprocessing as its own code does it: torchvision on a PIL image (SigLIP's processor resizes
    with PIL's bicubic too)."""
    from torchvision import transforms

    bicubic = transforms.InterpolationMode.BICUBIC
    steps = {"clip": [transforms.Resize(preset.size, interpolation=bicubic), transforms.CenterCrop(preset.size)],
             "crop": [transforms.CenterCrop(preset.size)],
             "resize": [transforms.Resize((preset.size, preset.size), interpolation=bicubic)]}[
        preprocess or preset.preprocess]
    return transforms.Compose(steps + [transforms.ToTensor(), transforms.Normalize(preset.mean, preset.std)])


def write_reference_tensors(name, model, out_dir, images):
    """For image number i: out_dir/i.f32 (the reference tensor, float32 C x H x W) and i.emb (the reference embedding),
    raw little-endian; out_dir/index.tsv lists "i<TAB>path". The reference embedding is model's of the reference tensor;
    for the fused preset, each part's of the image preprocessed as that part's own preset does it, concatenated, so that
    matching it shows the fused module renormalises CLIP's tensor exactly as DINOv2's preprocessing would have it."""
    from PIL import Image, ImageOps

    def embed(module, preset_name, image):
        with torch.no_grad():
            return module.eval()(reference_transform(PRESETS[preset_name])(image).unsqueeze(0))[0]

    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "index.tsv"), "w") as index:
        for i, path in enumerate(images):
            with Image.open(path) as opened:
                image = ImageOps.exif_transpose(opened).convert("RGB")
            reference_transform(PRESETS[name])(image).numpy().astype("<f4").tofile(os.path.join(out_dir, f"{i}.f32"))
            if name == "clip-dinov2-fused":
                clip_part, dinov2_part = model.parts[0], model.parts[1].model
                embedding = torch.cat([embed(clip_part, FUSED_PARTS[0], image),
                                       embed(dinov2_part, FUSED_PARTS[1], image)])
            else:
                embedding = embed(model, name, image)
            embedding.numpy().astype("<f4").tofile(os.path.join(out_dir, f"{i}.emb"))
            index.write(f"{i}\t{path}\n")


def export_one(name, out, args, references=None):
    preset = PRESETS[name]
    module = stand_in(name) if args.stand_in else loader(name)(name)
    model_id = args.id or (("stand-in-" if args.stand_in else "") + MODEL_IDS[name])
    export(module, out, image_size=preset.size, onnx=args.onnx, fp16=args.fp16, bf16=args.bf16, id=model_id,
           version=args.version, preprocess=args.preprocess or preset.preprocess, mean=preset.mean, std=preset.std,
           embedding_size=preset.dims)
    if references:
        write_reference_tensors(name, module, references, args.reference_tensors[1:])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", required=True, choices=sorted(PRESETS) + ["all"])
    parser.add_argument("--out", required=True, help="output directory (with --model all: the parent directory)")
    parser.add_argument("--id", help="manifest id (default: the model's, e.g. openai-clip-vit-l-14 for ViT-L/14)")
    parser.add_argument("--version", default="1", help="manifest version, recorded in every embedding")
    parser.add_argument("--preprocess", choices=["clip", "crop", "resize"],
                        help="override the preset's preprocessing (crop: UniversalFakeDetect's crop without resize)")
    parser.add_argument("--onnx", action="store_true", help="write encoder.onnx (onnxruntime) instead of encoder.pt")
    parser.add_argument("--fp16", action="store_true", help="also write encoder-fp16.pt (needs a CUDA GPU)")
    parser.add_argument("--bf16", action="store_true", help="also write encoder-bf16.pt (traced on the CPU)")
    parser.add_argument("--stand-in", action="store_true",
                        help="write a seeded random-weight model of the preset's input contract (no download; "
                             "id prefixed stand-in-)")
    parser.add_argument("--reference-tensors", nargs="+", metavar=("DIR", "IMAGE"),
                        help="also write the preset's reference preprocessing of each IMAGE, and the model's "
                             "embedding of it, into DIR (with --model all: into DIR/<model directory>)")
    args = parser.parse_args()
    if args.model == "all":
        if args.id:
            parser.error("--id names one model; leave it out with --model all")
        for name, preset in PRESETS.items():
            references = args.reference_tensors and os.path.join(args.reference_tensors[0], preset.directory)
            export_one(name, os.path.join(args.out, preset.directory), args, references)
    else:
        export_one(args.model, args.out, args, args.reference_tensors and args.reference_tensors[0])


if __name__ == "__main__":
    main()
