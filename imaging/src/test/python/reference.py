#!/usr/bin/python3
"""Reference preprocessing and embeddings from PIL + torchvision + TorchScript, for ReferenceParityTest.

Usage: /usr/bin/python3 reference.py [--draft SIDE] MODEL.pt OUT_DIR IMAGE...
For image number i it writes, as raw little-endian arrays:
  i.rgb        the decoded pixels, uint8 H x W x 3 (PIL: exif_transpose, then convert('RGB'); with --draft, a JPEG is
               first put in draft mode, draft("RGB", (SIDE, SIDE)), and decoded at a DCT scale of 1/2, 1/4 or 1/8)
  i.clip.f32   Resize(224, BICUBIC) + CenterCrop(224) + ToTensor + Normalize(CLIP mean/std), float32 3 x 224 x 224
  i.crop.f32   CenterCrop(224) + ToTensor + Normalize, float32 3 x 224 x 224
  i.resize.f32 Resize((224, 224), BICUBIC) + ToTensor + Normalize (SigLIP's resize without crop), float32 3 x 224 x 224
  i.clip.emb / i.crop.emb / i.resize.emb   the model's embedding of each tensor, float32
and OUT_DIR/index.tsv with "i<TAB>width<TAB>height<TAB>path" per image.
"""

import sys

import numpy as np
import torch
from PIL import Image, ImageOps
from torchvision import transforms

MEAN = [0.48145466, 0.4578275, 0.40821073]
STD = [0.26862954, 0.26130258, 0.27577711]
SIZE = 224

TAIL = [transforms.CenterCrop(SIZE), transforms.ToTensor(), transforms.Normalize(MEAN, STD)]
MODES = {
    "clip": transforms.Compose([transforms.Resize(SIZE, interpolation=transforms.InterpolationMode.BICUBIC)] + TAIL),
    "crop": transforms.Compose(TAIL),
    "resize": transforms.Compose([transforms.Resize((SIZE, SIZE), interpolation=transforms.InterpolationMode.BICUBIC)]
                                 + TAIL[1:]),
}


def main(model_path, out_dir, paths, draft=0):
    torch.set_num_threads(1)
    model = torch.jit.load(model_path, map_location="cpu").eval()
    with open(f"{out_dir}/index.tsv", "w") as index:
        for i, path in enumerate(paths):
            with Image.open(path) as opened:
                if draft:
                    opened.draft("RGB", (draft, draft))
                image = ImageOps.exif_transpose(opened).convert("RGB")
            np.asarray(image, dtype=np.uint8).tofile(f"{out_dir}/{i}.rgb")
            for mode, transform in MODES.items():
                tensor = transform(image)
                tensor.numpy().astype("<f4").tofile(f"{out_dir}/{i}.{mode}.f32")
                with torch.no_grad():
                    embedding = model(tensor.unsqueeze(0))[0]
                embedding.numpy().astype("<f4").tofile(f"{out_dir}/{i}.{mode}.emb")
            index.write(f"{i}\t{image.width}\t{image.height}\t{path}\n")


if __name__ == "__main__":
    if sys.argv[1] == "--draft":
        main(sys.argv[3], sys.argv[4], sys.argv[5:], int(sys.argv[2]))
    else:
        main(sys.argv[1], sys.argv[2], sys.argv[3:])
