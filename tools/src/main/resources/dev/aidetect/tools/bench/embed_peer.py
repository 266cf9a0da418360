"""The Python peer of `aidetect bench embed`: the job done the way a user would write it.

PIL decodes each JPEG, torchvision applies CLIP's preprocessing (bicubic resize of the short side to the input size,
centre crop, CLIP mean/std), and torch.jit.load runs the same TorchScript encoder the JVM runs, in batches of the
same size on the same number of threads. All images are offered at the start: an image's latency runs from then to
the end of its batch. Prints progress on stderr and one JSON line of figures on stdout.

Run with Debian's torch: /usr/bin/python3 embed_peer.py --manifest M --batch B --threads T --images N FILE...
"""

import argparse
import io
import json
import os
import sys
import time

import torch
from PIL import Image
from torchvision import transforms


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--manifest", required=True, help="the encoder's manifest.json")
    parser.add_argument("--batch", type=int, required=True, help="images per forward pass")
    parser.add_argument("--threads", type=int, required=True, help="torch.set_num_threads")
    parser.add_argument("--images", type=int, required=True, help="images to embed, cycling through the files")
    parser.add_argument("files", nargs="+", help="JPEG files")
    return parser.parse_args()


def peak_rss_kb():
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def main():
    args = parse_args()
    torch.set_num_threads(args.threads)
    with open(args.manifest) as f:
        manifest = json.load(f)
    model = torch.jit.load(os.path.join(os.path.dirname(args.manifest), manifest["file"]), map_location="cpu")
    model.eval()
    size = manifest["inputSize"]
    preprocess = transforms.Compose([
        transforms.Resize(size, interpolation=transforms.InterpolationMode.BICUBIC),
        transforms.CenterCrop(size),
        transforms.ToTensor(),
        transforms.Normalize(manifest["mean"], manifest["std"]),
    ])
    distinct = []
    for name in args.files:
        with open(name, "rb") as f:
            distinct.append(f.read())
    images = [distinct[i % len(distinct)] for i in range(args.images)]

    def embed(batch):
        tensors = [preprocess(Image.open(io.BytesIO(data)).convert("RGB")) for data in batch]
        with torch.no_grad():
            return model(torch.stack(tensors))

    for _ in range(2):  # warm-up: TorchScript's profiling executor optimises the graph on the second run
        embed(images[:args.batch])
    latencies = []
    start = time.perf_counter()
    for first in range(0, len(images), args.batch):
        batch = images[first:first + args.batch]
        embed(batch)
        latencies.extend([(time.perf_counter() - start) * 1000] * len(batch))
        print(f"\r  python: {len(latencies)}/{len(images)} images", end="", file=sys.stderr, flush=True)
    seconds = time.perf_counter() - start
    print(file=sys.stderr)
    print(json.dumps({"mode": "python", "images": len(images), "seconds": seconds, "latenciesMs": latencies,
                      "peakRssKb": peak_rss_kb()}))


if __name__ == "__main__":
    main()
